// Temporal's own record of a case, as readable timeline entries: the workflow starting, each human step
// (an Update) accepted and completed or rejected, activities (local ones too), timers firing, continue-as-new and
// the end.
// Workflow-task bookkeeping is left out: it says nothing an auditor can act on.
import type { Client } from '@temporalio/client';
import { tsToDate, type LoadedDataConverter } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { RunHistory } from '../common/workflow-runs';
import type { TimelineEntry } from './case-history';

type HistoryEvent = NonNullable<History['events']>[number];

/** The parts of a step's command an auditor needs; its payload (possibly personal) is never read. */
interface StepSummary {
  update: string;
  action: string | null;
  actor: string | null;
  role: string | null;
  reason: string | null;
}

export async function temporalEntries(client: Client, runs: RunHistory[]): Promise<TimelineEntry[]> {
  const converter = client.options.loadedDataConverter;
  const entries: TimelineEntry[] = [];
  for (const run of runs) {
    const activityNames = new Map<string, string>();
    const steps = new Map<string, StepSummary>();
    for (const e of run.history.events ?? []) {
      const entry = await entryFor(e, converter, activityNames, steps);
      if (entry) entries.push({ ...blank(e), ...entry, runId: run.runId });
    }
  }
  return entries;
}

function blank(e: HistoryEvent): TimelineEntry {
  return {
    at: e.eventTime ? tsToDate(e.eventTime).toISOString() : '',
    source: 'temporal',
    kind: '',
    actor: null,
    role: null,
    action: null,
    reason: null,
    stageBefore: null,
    stageAfter: null,
    seq: null,
    eventId: Number(e.eventId ?? 0),
  };
}

async function entryFor(
  e: HistoryEvent,
  converter: LoadedDataConverter,
  activityNames: Map<string, string>,
  steps: Map<string, StepSummary>,
): Promise<Partial<TimelineEntry> | undefined> {
  if (e.workflowExecutionStartedEventAttributes) {
    const a = e.workflowExecutionStartedEventAttributes;
    return { kind: a.continuedExecutionRunId ? 'workflow_continued' : 'workflow_started', action: a.workflowType?.name ?? null };
  }
  if (e.workflowExecutionUpdateAcceptedEventAttributes) {
    const a = e.workflowExecutionUpdateAcceptedEventAttributes;
    const step = await stepOf(converter, a.acceptedRequest?.input?.name ?? 'unknown', a.acceptedRequest?.input?.args?.payloads);
    steps.set(a.protocolInstanceId ?? '', step);
    return { kind: 'update_accepted', ...step };
  }
  if (e.workflowExecutionUpdateCompletedEventAttributes) {
    const a = e.workflowExecutionUpdateCompletedEventAttributes;
    const step = steps.get(a.meta?.updateId ?? '') ?? { update: 'unknown', action: null, actor: null, role: null, reason: null };
    const failure = a.outcome?.failure;
    // A step the handler refused after accepting it (e.g. no funded places left): the reason is the domain's message.
    return failure ? { kind: 'update_rejected', ...step, reason: failure.message ?? null } : { kind: 'update_completed', ...step };
  }
  if (e.workflowExecutionUpdateRejectedEventAttributes) {
    const a = e.workflowExecutionUpdateRejectedEventAttributes;
    return { kind: 'update_rejected', update: a.rejectedRequest?.input?.name ?? 'unknown', reason: a.failure?.message ?? null };
  }
  if (e.activityTaskScheduledEventAttributes) {
    const name = e.activityTaskScheduledEventAttributes.activityType?.name ?? 'unknown';
    activityNames.set(String(e.eventId), name);
    return { kind: 'activity_scheduled', action: name };
  }
  if (e.activityTaskCompletedEventAttributes) {
    return { kind: 'activity_completed', action: activityNames.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId)) ?? null };
  }
  if (e.activityTaskFailedEventAttributes) {
    const a = e.activityTaskFailedEventAttributes;
    return { kind: 'activity_failed', action: activityNames.get(String(a.scheduledEventId)) ?? null, reason: a.failure?.message ?? null };
  }
  if (e.activityTaskTimedOutEventAttributes) {
    return { kind: 'activity_timed_out', action: activityNames.get(String(e.activityTaskTimedOutEventAttributes.scheduledEventId)) ?? null };
  }
  if (e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) {
    // A local activity (the opening's write, run inside the case's first workflow task) leaves one marker when it is done.
    const a = e.markerRecordedEventAttributes;
    const name = localActivityType(a.details?.data?.payloads?.[0]?.data);
    return a.failure ? { kind: 'local_activity_failed', action: name, reason: a.failure.message ?? null } : { kind: 'local_activity_completed', action: name };
  }
  if (e.timerFiredEventAttributes) return { kind: 'timer_fired', action: e.timerFiredEventAttributes.timerId ?? null };
  if (e.workflowExecutionSignaledEventAttributes) return { kind: 'signal_received', action: e.workflowExecutionSignaledEventAttributes.signalName ?? null };
  if (e.workflowTaskFailedEventAttributes) {
    // Where a non-deterministic worker build shows up in a live case.
    return { kind: 'workflow_task_failed', reason: e.workflowTaskFailedEventAttributes.failure?.message ?? null };
  }
  if (e.workflowExecutionContinuedAsNewEventAttributes) return { kind: 'continued_as_new' };
  if (e.workflowExecutionCompletedEventAttributes) return { kind: 'workflow_completed' };
  if (e.workflowExecutionFailedEventAttributes) return { kind: 'workflow_failed', reason: e.workflowExecutionFailedEventAttributes.failure?.message ?? null };
  if (e.workflowExecutionTerminatedEventAttributes) return { kind: 'workflow_terminated', reason: e.workflowExecutionTerminatedEventAttributes.reason ?? null };
  if (e.workflowExecutionTimedOutEventAttributes) return { kind: 'workflow_timed_out' };
  if (e.workflowExecutionCanceledEventAttributes) return { kind: 'workflow_canceled' };
  return undefined;
}

/** The SDK's marker for a finished local activity; its `data` detail is plain JSON the SDK wrote, never personal. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

function localActivityType(data: Uint8Array | null | undefined): string | null {
  if (!data) return null;
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: unknown };
    return typeof parsed.activity_type === 'string' ? parsed.activity_type : null;
  } catch {
    return null;
  }
}

async function stepOf(converter: LoadedDataConverter, update: string, payloads: Parameters<typeof decodeFromPayloadsAtIndex>[2]): Promise<StepSummary> {
  const none: StepSummary = { update, action: null, actor: null, role: null, reason: null };
  let cmd: { action?: unknown; actor?: { userId?: unknown; role?: unknown }; reason?: unknown } | undefined;
  try {
    cmd = await decodeFromPayloadsAtIndex(converter, 0, payloads);
  } catch {
    // The case's key was shredded at erasure: its commands stay unreadable, as intended.
    return none;
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return { update, action: str(cmd?.action), actor: str(cmd?.actor?.userId), role: str(cmd?.actor?.role), reason: str(cmd?.reason) };
}
