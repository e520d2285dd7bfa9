// The return case as one durable workflow, from intake to erasure. The rules are the pure functions in
// ../domain; this file only sequences them: human steps (updates), deadlines (timers), recording (activities).
import {
  ApplicationFailure,
  TemporalFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { applyErasure } from '../domain/erasure';
import { addDuration } from '../domain/duration';
import { stampEvents, type Actor, type DomainEvent, type Effect } from '../domain/events';
import type { Programme } from '../domain/programme';
import { openCase, type CaseInput, type CaseState } from '../domain/state';
import { tick, nextWakeup } from '../domain/tick';
import { allowedActions, decide } from '../domain/transitions';
import { decideAssignment, decidePartnerAssignment, type AssignDecision } from './assignment';
import { enrolBeforeCommit, releaseAfterCommit } from './cooperation-link';
import {
  assignCaseUpdate,
  assignPartnerUpdate,
  caseActionUpdate,
  caseStateQuery,
  type ActionCommand,
  type AssignCommand,
  type PartnerAssignCommand,
} from './messages';
import { personalOf, projectionOf, searchAttributesOf } from './projection';
import type { RecordedEffect, TransitionRecord } from './records';

// Postgres may be down for a while: keep retrying; the case waits rather than fails.
const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { recordTransition, reservePlace, dispatchWebhooks, pendingErasureAcks } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: RETRY,
});
// The opening's write runs inside the case's first workflow task (see commitTransition), before that task is in the
// history. Only the opening may: its record is fixed by the start's arguments, so a task that is lost and run again
// writes the same record. A step's or a deadline's is not (an update is durable only once its task is; a tick reads
// the task's clock), so those are written by the activities above, after the task that decided them is recorded.
// Local retries are held by the worker, so they are few (about 4 s when each fails at once, 24 s at most): a worker
// asked to stop waits for them. Past them, the write falls back to the activities, whose retries the server holds.
// Bounded by attempts, not by a schedule-to-close timeout, which the SDK did not enforce on local retries here.
const { commitTransition } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 4 },
});

export interface CaseWorkflowArgs {
  caseId: string;
  input: CaseInput;
  programme: Programme;
  /** Who opened the case (recorded on the case.opened event). */
  openedBy?: Actor;
  /**
   * When the request to open the case arrived (ISO). The API writes the case's first read-model row from the same
   * instant, so both agree. Histories started before it existed open at the first task's time.
   */
  openedAt?: string;
  /** Set by continue-as-new: the state carried over, with its open deadlines. */
  carried?: CaseState;
}

export async function caseWorkflow(args: CaseWorkflowArgs): Promise<CaseState> {
  const { caseId, programme } = args;
  const opened = args.carried ? undefined : open(args);
  let state: CaseState = args.carried ?? opened!.state;
  let changed = false;
  // Transitions are serialised: each step is checked against the state its predecessor left.
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn);
    turn = run.catch(() => undefined);
    return run;
  };
  // The opening is first in line: a step that arrives in the case's first task (the API answers a start without
  // waiting for a worker) queues behind it instead of being decided and recorded before the case is.
  // Started by the API, the opening instant is an argument; histories from before that read the first task's clock.
  const opening = opened
    ? exclusive(() => commit(opened.state, opened.events, [], { at: opened.state.openedAt, local: args.openedAt !== undefined }))
    : undefined;

  setHandler(caseStateQuery, () => state);
  setHandler(
    caseActionUpdate,
    (cmd) =>
      exclusive(async () => {
        const planned = decideOrThrow(state, programme, cmd);
        if (planned.effects.some((e) => e.type === 'reserve_place')) {
          const res = await reservePlace({ programmeId: programme.id, caseId });
          if (!res.ok) throw rejection('NO_PLACES_LEFT', `Programme ${programme.id} has no funded places left`, state, programme);
        }
        // Cooperation projects: a plan naming one is approved only once the project has given it a slot.
        await enrolBeforeCommit(state, planned.state, programme, cmd.actor);
        // Decide at commit time, so the recorded instant is the instant of the transition.
        const d = decideOrThrow(state, programme, cmd);
        await commit(d.state, d.events, withoutErase(d.effects), { requestId: cmd.requestId });
        await eraseIfAsked(d.effects); // an approved erasure request erases at once
        changed = true;
        return state;
      }),
    { validator: (cmd) => void decideOrThrow(state, programme, cmd) },
  );
  setHandler(
    assignCaseUpdate,
    (cmd) =>
      exclusive(async () => {
        const d = assignOrThrow(state, programme, cmd);
        // Deadlines do not change with the assignee, so the timer loop need not wake.
        if (d.events.length) await commit(d.state, d.events, [], { requestId: cmd.requestId });
        return state;
      }),
    { validator: (cmd) => void assignOrThrow(state, programme, cmd) },
  );
  setHandler(
    assignPartnerUpdate,
    (cmd) =>
      exclusive(async () => {
        const d = partnerOrThrow(state, programme, cmd);
        if (d.events.length) await commit(d.state, d.events, [], { requestId: cmd.requestId });
        return state;
      }),
    { validator: (cmd) => void partnerOrThrow(state, programme, cmd) },
  );

  /**
   * `at`: when it happened, if not now (the opening happened when the request arrived, as the read model says).
   * `local`: the write may run inside this workflow task (only a record the start's arguments fix, see above).
   */
  async function commit(next: CaseState, events: DomainEvent[], effects: Effect[], opts: { requestId?: string; at?: string; local?: boolean } = {}): Promise<void> {
    const { requestId, at = nowIso() } = opts;
    // The rules advanced next.seq by one per event; number the events the same way.
    const stamped = stampEvents(next.seq - events.length, events, at).map((e) => ({ ...e, requestId }));
    const prev = state;
    state = next;
    const record = {
      caseId,
      events: stamped,
      projection: projectionOf(state, programme),
      personal: events.some((e) => e.type === 'case.opened') ? personalOf(state) : undefined,
      effects: effects.filter((e): e is RecordedEffect => e.type !== 'reserve_place'),
    };
    // Histories recorded before the local write existed open through the activities.
    if (!opts.local || !patched('local-opening')) await recordWithActivities(record);
    else {
      try {
        await commitTransition(record);
      } catch (err) {
        // A local activity's last failure arrives as it was thrown (an ApplicationFailure), a timeout as an
        // ActivityFailure: both fall back. Only cancellation, and errors that are not failures, go on up.
        if (!(err instanceof TemporalFailure) || isCancellation(err)) throw err;
        // The failure's name only: a message can quote the values it failed on.
        log.warn('transition write falls back to activities', { caseId, seq: state.seq, failure: (err.cause ?? err).name });
        await recordWithActivities(record);
      }
    }
    upsertSearchAttributes(searchAttributesOf(state));
    // Cooperation projects: a case holding a slot that has now closed gives the slot back.
    await releaseAfterCommit(prev, state, events.find((e) => e.actor)?.actor);
  }

  /** The write as two activities: the record, then the fan-out (which histories from before webhooks lack). */
  async function recordWithActivities(record: TransitionRecord): Promise<void> {
    await recordTransition(record);
    if (patched('dispatch-webhooks')) await dispatchWebhooks({ caseId, seq: record.projection.lastSeq });
  }

  // Only when there is one: awaiting nothing would still yield, and let a carried run's first update schedule its
  // commands before the timer below, unlike the histories recorded before the opening was queued.
  if (opening) await opening;

  while (state.stage !== 'erased') {
    const wake = nextWakeup(state, programme);
    const waitMs = wake === undefined ? undefined : Math.max(1, Date.parse(wake) - Date.now());
    const woken = () => changed || workflowInfo().continueAsNewSuggested;
    if (waitMs === undefined) await condition(woken);
    else await condition(woken, waitMs);
    changed = false;
    // Let steps in progress finish first: the tick then always follows them, whatever the interceptors
    // in the bundle, so the order of commands never depends on promise timing (replay stays exact).
    await condition(allHandlersFinished);
    await exclusive(async () => {
      const t = tick(state, programme, nowIso());
      if (t.events.length) await commit(t.state, t.events, withoutErase(t.effects));
      await eraseIfAsked(t.effects); // the end of the retention period
    });
    if (workflowInfo().continueAsNewSuggested && !isErased(state)) {
      await condition(allHandlersFinished);
      log.info('continuing as new', { caseId, seq: state.seq });
      await continueAsNew<typeof caseWorkflow>({ ...args, carried: state });
    }
  }
  if (patched('erasure-acks')) await chaseErasureAcks();
  await condition(allHandlersFinished);
  return state;

  /** The read model drops the personal part, the key is shredded, and the state keeps only facts. */
  async function eraseIfAsked(effects: Effect[]): Promise<void> {
    const erase = effects.find((e) => e.type === 'erase');
    if (!erase) return;
    const erased = applyErasure(state, nowIso());
    await commit(erased.state, erased.events, [erase]);
  }

  /** Partners were told to erase their copy; remind those that have not confirmed, then escalate. */
  async function chaseErasureAcks(): Promise<void> {
    const every = Date.parse(addDuration(nowIso(), programme.erasureReminderAfter ?? 'P7D')) - Date.now();
    for (let round = 1; round <= ERASURE_REMINDERS; round++) {
      await sleep(every);
      const pending = await pendingErasureAcks({ caseId });
      if (!pending.length) return;
      const escalate = round === ERASURE_REMINDERS;
      const event: DomainEvent = escalate
        ? { type: 'case.escalated', stageBefore: 'erased', stageAfter: 'erased', data: { key: 'erasure_ack', reason: 'erasure_ack_missing', pending: pending.length } }
        : { type: 'case.erasure_reminder', stageBefore: 'erased', stageAfter: 'erased', data: { round, pending: pending.length } };
      await exclusive(() => commit(appendFact(state, event, nowIso()), [event], []));
    }
  }
}

/** How many times partners are reminded to confirm an erasure before it escalates. */
const ERASURE_REMINDERS = 3;

function withoutErase(effects: Effect[]): Effect[] {
  return effects.filter((e) => e.type !== 'erase');
}

/** A fact recorded after the rules are done with the case (it is erased): one more event in its timeline. */
function appendFact(s: CaseState, event: DomainEvent, at: string): CaseState {
  const seq = s.seq + 1;
  const escalations = event.type === 'case.escalated'
    ? [...s.escalations, { key: String(event.data.key), stage: s.stage, raisedAt: at, reason: String(event.data.reason) }]
    : s.escalations;
  return { ...s, seq, escalations, timeline: [...s.timeline, { seq, at, type: event.type, stageBefore: event.stageBefore, stageAfter: event.stageAfter }] };
}

/** Input is validated by the API; should a bad one get here anyway, fail the case instead of retrying forever. */
function open(args: CaseWorkflowArgs): ReturnType<typeof openCase> {
  try {
    return openCase(args.caseId, args.input, args.programme, args.openedAt ?? nowIso(), args.openedBy);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(`case input rejected: ${(err as Error).message}`, 'INVALID_CASE_INPUT');
  }
}

function decideOrThrow(state: CaseState, programme: Programme, cmd: ActionCommand) {
  const d = decide(state, programme, cmd, nowIso());
  if (!d.ok) {
    throw ApplicationFailure.create({
      type: d.code,
      message: d.message,
      nonRetryable: true,
      details: [{ allowed: d.allowed, issues: d.issues ?? [] }],
    });
  }
  return d;
}

function assignOrThrow(state: CaseState, programme: Programme, cmd: AssignCommand) {
  return okOrThrow(decideAssignment(state, cmd, nowIso()), state, programme);
}

function partnerOrThrow(state: CaseState, programme: Programme, cmd: PartnerAssignCommand) {
  return okOrThrow(decidePartnerAssignment(state, cmd, nowIso()), state, programme);
}

function okOrThrow(d: AssignDecision, state: CaseState, programme: Programme) {
  if (!d.ok) throw rejection(d.rejection.code, d.rejection.message, state, programme, d.rejection.issues);
  return d;
}

function rejection(type: string, message: string, state: CaseState, programme: Programme, issues: readonly unknown[] = []) {
  const allowed = allowedActions(state, programme).map((a) => a.action);
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ allowed, issues }] });
}

function isErased(state: CaseState): boolean {
  return state.stage === 'erased';
}

function nowIso(): string {
  return new Date().toISOString(); // Date is deterministic inside a workflow: it is the task's time.
}
