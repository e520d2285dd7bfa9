// The return case as one durable workflow, from intake to erasure. The rules are the pure functions in
// ../domain; this file only sequences them: human steps (updates), deadlines (timers), recording (activities).
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { Programme } from '../domain/programme';
import type { CaseInput, CaseState } from '../domain/state';
import { initialState } from '../domain/state';
import { allowedActions, decide, nextWakeup, tick, type DomainEvent, type Effect } from '../domain/transitions';
import { caseActionUpdate, caseStateQuery, type ActionCommand } from './messages';
import { projectionOf, personalOf, sideEffectsOf, searchAttributesOf } from './projection';
import type { RecordedEvent } from './records';

const { recordTransition, reservePlace } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // Postgres may be down for a while: keep retrying, the case waits rather than fails.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface CaseWorkflowArgs {
  caseId: string;
  input: CaseInput;
  programme: Programme;
  /** Set by continue-as-new: the state carried over, with its open deadlines. */
  carried?: CaseState;
}

export async function caseWorkflow(args: CaseWorkflowArgs): Promise<CaseState> {
  const { caseId, programme } = args;
  let state: CaseState = args.carried ?? initialState(caseId, args.input, programme, nowIso());
  let changed = false;
  // Transitions are serialised: a step's rules are checked against the state its predecessor left.
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn);
    turn = run.catch(() => undefined);
    return run;
  };

  setHandler(caseStateQuery, () => state);
  setHandler(
    caseActionUpdate,
    (cmd) =>
      exclusive(async () => {
        let decision = decideOrThrow(state, programme, cmd);
        if (decision.effects.some((e) => e.kind === 'reserve_place')) {
          const res = await reservePlace({ programmeId: programme.id, caseId });
          if (!res.ok) throw rejection('NO_PLACES_LEFT', `programme ${programme.id} has no funded places left`, state, programme);
          decision = decideOrThrow(state, programme, cmd); // the state may not move while we held the turn, but be exact
        }
        await commit(decision.state, decision.events, decision.effects, cmd);
        changed = true;
        return state;
      }),
    { validator: (cmd) => void decideOrThrow(state, programme, cmd) },
  );

  async function commit(next: CaseState, events: DomainEvent[], effects: Effect[], cmd?: ActionCommand): Promise<void> {
    const at = nowIso();
    const recorded: RecordedEvent[] = events.map((e, i) => ({
      ...e,
      seq: state.seq + i + 1,
      at,
      requestId: cmd?.requestId,
    }));
    const before = state;
    state = { ...next, seq: before.seq + recorded.length };
    await recordTransition({
      caseId,
      events: recorded,
      projection: projectionOf(state),
      personal: before.seq === 0 ? personalOf(state) : undefined,
      effects: sideEffectsOf(effects, recorded),
    });
    upsertSearchAttributes(searchAttributesOf(state));
  }

  if (!args.carried) {
    await exclusive(() =>
      commit(state, [{ type: 'case.opened', stageBefore: state.stage, stageAfter: state.stage, data: { programmeId: programme.id } }], []),
    );
  }

  for (;;) {
    const wake = nextWakeup(state, programme);
    const waitMs = wake ? Math.max(0, Date.parse(wake) - Date.now()) : undefined;
    await condition(() => changed || workflowInfo().continueAsNewSuggested, waitMs === undefined ? undefined : Math.max(waitMs, 1));
    changed = false;
    await exclusive(async () => {
      const t = tick(state, programme, nowIso());
      if (t.events.length) await commit(t.state, t.events, t.effects);
    });
    if (state.stage === 'erased') break;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      log.info('continuing as new', { caseId, seq: state.seq });
      await continueAsNew<typeof caseWorkflow>({ ...args, carried: state });
    }
  }
  await condition(allHandlersFinished);
  return state;
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

function rejection(type: string, message: string, state: CaseState, programme: Programme) {
  const allowed = allowedActions(state, programme).map((a) => a.action);
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ allowed, issues: [] }] });
}

function nowIso(): string {
  return new Date().toISOString(); // Date is deterministic inside a workflow: it is the task's time.
}
