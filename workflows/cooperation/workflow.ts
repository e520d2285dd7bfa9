// A cooperation project as one durable workflow, from proposal to closure. The rules are the pure
// functions in ./domain; this file only sequences them: human steps and case messages (updates),
// report deadlines (timers), recording (one activity).
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { Actor } from '../domain/events';
import type { ProjectApplied } from './domain/engine';
import { decideEnrolment, decideRelease, type LinkDecision } from './domain/enrolment';
import { openProject, slotsUsed, type ProjectState } from './domain/state';
import { nextProjectWakeup, tickProject } from './domain/tick';
import { decideProject } from './domain/transitions';
import { enrolBeneficiaryUpdate, projectActionUpdate, projectStateQuery, releaseSlotUpdate, type ProjectActionCommand, type SlotAnswer } from './messages';
import { projectionOfProject } from './projection';

const { recordProjectTransition, dispatchWebhooks } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // Postgres may be down for a while: keep retrying; the project waits rather than fails.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface CooperationWorkflowArgs {
  projectId: string;
  /** The creation body (ProjectInputSchema), validated by the API. */
  input: unknown;
  openedBy?: Actor;
  /** Set by continue-as-new: the state carried over, with its open deadlines. */
  carried?: ProjectState;
}

export async function cooperationWorkflow(args: CooperationWorkflowArgs): Promise<ProjectState> {
  const { projectId } = args;
  const opened = args.carried ? undefined : open(args);
  let state: ProjectState = args.carried ?? opened!.state;
  let changed = false;
  // Every change is serialised: each is decided on the state its predecessor left. This is what makes
  // the slot count exact: two enrolments racing for the last slot run one after the other.
  let turn: Promise<unknown> = Promise.resolve();
  let inFlight = 0;
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    inFlight++;
    const run = turn.then(fn).finally(() => void inFlight--);
    turn = run.catch(() => undefined);
    return run;
  };
  const slots = (): SlotAnswer => ({ projectId, slots: state.slots, slotsUsed: slotsUsed(state) });

  setHandler(projectStateQuery, () => state);
  setHandler(
    projectActionUpdate,
    (cmd) =>
      exclusive(async () => {
        // Decided again at commit time: the state may have moved since the validator ran.
        await commit(orThrow(decideProject(state, cmd, nowIso())), cmd.requestId);
        changed = true;
        return state;
      }),
    { validator: (cmd: ProjectActionCommand) => void orThrow(decideProject(state, cmd, nowIso())) },
  );
  setHandler(
    enrolBeneficiaryUpdate,
    (msg) =>
      exclusive(async () => {
        // The slot check and the enrolment happen here, in one turn: no other change can come between.
        await commit(orThrow(decideEnrolment(state, msg, nowIso())));
        changed = true;
        return slots();
      }),
    // Refuses early (nothing enters history) when the project is full or not enrolling.
    { validator: (msg) => void orThrow(decideEnrolment(state, msg, nowIso())) },
  );
  setHandler(releaseSlotUpdate, (msg) =>
    exclusive(async () => {
      await commit(orThrow(decideRelease(state, msg, nowIso())));
      changed = true;
      return slots();
    }),
  );

  async function commit(d: ProjectApplied, requestId?: string): Promise<void> {
    if (!d.events.length) return;
    const at = nowIso();
    // The rules advanced seq by one per event; number the events the same way.
    const first = d.state.seq - d.events.length + 1;
    state = d.state;
    await recordProjectTransition({
      projectId,
      events: d.events.map((e, i) => ({ ...e, seq: first + i, at, ...(requestId ? { requestId } : {}) })),
      projection: projectionOfProject(state),
      effects: d.effects,
    });
    // The project's partner gets signed webhooks like a case's partners; histories from before skip it.
    if (patched('dispatch-webhooks')) await dispatchWebhooks({ caseId: projectId, seq: state.seq });
  }

  if (opened) await exclusive(() => commit({ state: opened.state, events: opened.events, effects: [] }));

  while (state.stage !== 'closed') {
    const wake = nextProjectWakeup(state);
    const woken = () => changed || workflowInfo().continueAsNewSuggested;
    if (wake === undefined) await condition(woken);
    else await condition(woken, Math.max(1, Date.parse(wake) - Date.now()));
    // Steps in flight finish first, so the tick's commands always follow the steps' completions in one order,
    // on replay too, whatever wraps the handlers (a tracing interceptor adds promise hops to an update).
    await settled(() => inFlight === 0);
    changed = false;
    await exclusive(() => commit(tickProject(state, nowIso())));
    if (workflowInfo().continueAsNewSuggested && !isClosed(state)) {
      await condition(allHandlersFinished);
      log.info('continuing as new', { projectId, seq: state.seq });
      await continueAsNew<typeof cooperationWorkflow>({ ...args, carried: state });
    }
  }
  // Late messages (a beneficiary's case closing) find the workflow gone and know the slot ended with it.
  await condition(allHandlersFinished);
  return state;
}

/** Input is validated by the API; should a bad one get here anyway, fail the project instead of retrying forever. */
function open(args: CooperationWorkflowArgs) {
  try {
    return openProject(args.projectId, args.input, nowIso(), args.openedBy);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(`project input rejected: ${(err as Error).message}`, 'INVALID_PROJECT_INPUT');
  }
}

function orThrow(d: LinkDecision | ReturnType<typeof decideProject>): ProjectApplied {
  if (d.ok) return d;
  const allowed = 'allowed' in d ? d.allowed : [];
  throw ApplicationFailure.create({ type: d.code, message: d.message, nonRetryable: true, details: [{ allowed, issues: d.issues ?? [] }] });
}

/**
 * Waits until `ready()` holds, checked only after every promise of the activation has settled: never eagerly,
 * when an update of the same activation may not have reached its handler yet.
 */
function settled(ready: () => boolean): Promise<void> {
  let first = true;
  return condition(() => (first ? (first = false) : ready()));
}

function isClosed(state: ProjectState): boolean {
  return state.stage === 'closed';
}

function nowIso(): string {
  return new Date().toISOString(); // Date is deterministic inside a workflow: it is the task's time.
}
