// Replays recorded histories against the current workflow code: the check that a new worker build still
// makes the same decisions for every case it would pick up. Used by the API, the CLIs and the deploy gate.
import { bundleWorkflowCode, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { DataConverter, HistoryAndWorkflowId } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { WORKFLOWS_PATH } from './worker';

export type Verdict =
  | { verdict: 'identical' }
  /** The code now makes a different decision than the history records. */
  | { verdict: 'nondeterministic'; error: string; eventId?: number }
  /** The replay could not run to the end for another reason (the workflow code threw, a bad history). */
  | { verdict: 'failed'; error: string };

export interface ReplayResult {
  workflowId: string;
  verdict: Verdict;
}

export type WorkflowCode = ReplayWorkerOptions['workflowBundle'];

let current: Promise<WorkflowCode> | undefined;

/** The workflow code the worker runs (bundled from WORKFLOWS_PATH as the worker does), bundled once per process. */
export function currentWorkflowCode(): Promise<WorkflowCode> {
  current ??= bundleWorkflowCode({ workflowsPath: require.resolve(WORKFLOWS_PATH), logger: quietLogger })
    .then(({ code }) => ({ code }))
    .catch((err) => {
      current = undefined; // a failed bundle is retried by the next caller, not cached
      throw err;
    });
  return current;
}

/**
 * The code the workers of this deployment run: their pre-built bundle when there is one (WORKFLOW_BUNDLE_PATH), so
 * a replay answers for that exact code and costs no bundling; otherwise the source, bundled once.
 */
export function deployedWorkflowCode(bundlePath: string | undefined): Promise<WorkflowCode> {
  return bundlePath ? Promise.resolve({ codePath: bundlePath }) : currentWorkflowCode();
}

/**
 * Replays each history in order with one replay worker; yields one verdict per history. `histories` may be
 * lazy (an async generator fetching from the server), so a batch of thousands never sits in memory at once.
 */
export async function* replayHistories(
  code: WorkflowCode,
  histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>,
  // Histories from the server are encrypted: replay decodes them with the app's codec.
  dataConverter?: DataConverter,
): AsyncGenerator<ReplayResult> {
  // A history without a completed workflow task (a run just continued as new, its first task not yet taken) holds
  // no decision to compare, and the replay worker would wait forever for one: such a run is identical by default,
  // unless its first task failed, which is a case stuck at its start and must not pass a gate.
  const undecided: ReplayResult[] = [];
  async function* withDecisions() {
    for await (const h of histories) {
      const events = (h.history as History).events ?? [];
      if (events.some((e) => e.workflowTaskCompletedEventAttributes)) yield h;
      else if (events.some((e) => e.workflowTaskFailedEventAttributes)) undecided.push({ workflowId: h.workflowId, verdict: { verdict: 'failed', error: 'the first workflow task of this run failed; nothing was decided' } });
      else undecided.push({ workflowId: h.workflowId, verdict: { verdict: 'identical' } });
    }
  }
  for await (const r of Worker.runReplayHistories({ workflowBundle: code, dataConverter }, withDecisions())) {
    yield { workflowId: r.workflowId, verdict: verdictOf(r.error) };
  }
  yield* undecided;
}

/** The verdict for a case with several runs (continue-as-new): the first run that does not replay decides. */
export async function replayRuns(code: WorkflowCode, workflowId: string, runs: { history: unknown }[], dataConverter?: DataConverter): Promise<Verdict> {
  for await (const r of replayHistories(code, runs.map((run) => ({ workflowId, history: run.history })), dataConverter)) {
    if (r.verdict.verdict !== 'identical') return r.verdict;
  }
  return { verdict: 'identical' };
}

export function verdictOf(err: unknown): Verdict {
  if (!err) return { verdict: 'identical' };
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && err.name === 'DeterminismViolationError') {
    const eventId = divergedAt(message);
    return { verdict: 'nondeterministic', error: sanitise(message), ...(eventId !== undefined ? { eventId } : {}) };
  }
  return { verdict: 'failed', error: sanitise(message) };
}

/**
 * The history event the replay stopped at, from Core's message, e.g. "No command scheduled for event
 * HistoryEvent(id: 5, ActivityTaskScheduled)". Some messages name none (a changed activity type): undefined.
 */
export function divergedAt(message: string): number | undefined {
  const m = /HistoryEvent\(id: (\d+)/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/**
 * Keeps Core's own explanation (e.g. "[TMPRL1100] Nondeterminism error: No command scheduled for event
 * HistoryEvent(id: 5, ActivityTaskScheduled)") without the wrapping debug dump. Core may quote commands with
 * their input payloads (the case's data, as bytes): those are dropped, so a verdict never carries personal data.
 */
function sanitise(message: string): string {
  const core = /\[TMPRL\d+\][^"]*/.exec(message)?.[0] ?? message;
  return core
    .replace(/(data|payloads?|input|arguments|metadata): *\[[^\]]*\]/gi, '$1: […]')
    .replace(/(data|payloads?|input|arguments): *(Some\()?\{[^}]*\}\)?/gi, '$1: {…}')
    .slice(0, 1000);
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
