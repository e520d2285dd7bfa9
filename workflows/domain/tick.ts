// Time-driven rules: missed SLA deadlines escalate (once per deadline, never blocking),
// an expired booking sends the case back to travel booking, missing monitoring reports get
// a reminder then an escalation, and the end of retention asks for erasure.
import { addDuration } from './duration';
import type { DomainEvent, Effect } from './events';
import { emit, finalize, newCtx, type Ctx } from './engine';
import type { Programme } from './programme';
import type { CaseState } from './state';
import { atOrBefore, earliest, toInstant } from './time';

export interface TickResult {
  readonly state: CaseState;
  readonly events: DomainEvent[];
  readonly effects: Effect[];
}

function escalate(ctx: Ctx, key: string, stage: CaseState['stage'], reason: string, dueAt: string, extra: Record<string, string | number> = {}): void {
  ctx.s.escalations.push({ key, stage, raisedAt: ctx.now, reason });
  emit(ctx, 'case.escalated', { key, stage, reason, dueAt, ...extra });
}

function retentionEnds(state: CaseState, programme: Programme): string | undefined {
  return state.closedAt !== undefined ? addDuration(state.closedAt, programme.retention) : undefined;
}

/**
 * Applies everything that has fallen due by `now`. Returns the input state itself (and no
 * events) when nothing is due, so the workflow can skip a commit.
 */
export function tick(state: CaseState, programme: Programme, now: string): TickResult {
  const at = toInstant(now, 'now');
  if (state.stage === 'erased') return { state, events: [], effects: [] };
  if (state.stage === 'closed') {
    const ends = retentionEnds(state, programme);
    // Retention is over: the stage stays closed and the erase effect asks the workflow to
    // shred the case key, tell partners, and then apply applyErasure to its state.
    return { state, events: [], effects: ends !== undefined && atOrBefore(ends, at) ? [{ type: 'erase', reason: 'retention_ended' }] : [] };
  }

  const ctx = newCtx(state, programme, at);
  const s = ctx.s;
  const raised = new Set(s.escalations.map((e) => e.key));
  const booking = s.booking;
  const bookingExpired =
    s.stage === 'departure' && booking?.status === 'active' && atOrBefore(booking.expiresAt, at) ? booking : undefined;

  for (const d of s.deadlines) {
    if (raised.has(d.key) || !atOrBefore(d.dueAt, at)) continue;
    // A deadline that fell after the booking lapsed belonged to a stage the case had already left.
    if (bookingExpired && !atOrBefore(d.dueAt, bookingExpired.expiresAt)) continue;
    escalate(ctx, d.key, d.stage, 'deadline_missed', d.dueAt);
  }

  if (bookingExpired) {
    bookingExpired.status = 'expired';
    s.rebookings += 1;
    const key = `booking_expired:${s.rebookings}`;
    escalate(ctx, key, 'travel_booking', 'booking_expired', bookingExpired.expiresAt, {
      rebookings: s.rebookings,
      maxRebookings: programme.maxRebookings,
    });
    s.stage = 'travel_booking';
  }

  for (const cp of s.checkpoints) {
    if (cp.reportedAt !== undefined) continue;
    const key = `checkpoint:${cp.offset}`;
    const remindAt = addDuration(cp.dueAt, programme.followUp.reminderAfter);
    const escalateAt = addDuration(cp.dueAt, programme.followUp.escalateAfter);
    if (cp.remindedAt === undefined && atOrBefore(remindAt, at)) {
      cp.remindedAt = at;
      emit(ctx, 'case.reminder', { key, checkpoint: cp.offset, dueAt: cp.dueAt });
    }
    if (cp.escalatedAt === undefined && atOrBefore(escalateAt, at)) {
      cp.escalatedAt = at;
      escalate(ctx, key, s.stage, 'monitoring_report_missing', cp.dueAt, { checkpoint: cp.offset });
    }
  }

  if (ctx.events.length === 0) return { state, events: [], effects: [] };
  return finalize(ctx);
}

/**
 * The earliest instant at which tick has something to do, or undefined if nothing is
 * pending (erased). It can lie in the past when tick has not run yet: sleep max(0, t - now).
 */
export function nextWakeup(state: CaseState, programme: Programme): string | undefined {
  if (state.stage === 'erased') return undefined;
  if (state.stage === 'closed') return retentionEnds(state, programme);
  const raised = new Set(state.escalations.map((e) => e.key));
  const times: string[] = [];
  for (const d of state.deadlines) if (!raised.has(d.key)) times.push(d.dueAt);
  if (state.stage === 'departure' && state.booking?.status === 'active') times.push(state.booking.expiresAt);
  for (const cp of state.checkpoints) {
    if (cp.reportedAt !== undefined) continue;
    if (cp.remindedAt === undefined) times.push(addDuration(cp.dueAt, programme.followUp.reminderAfter));
    if (cp.escalatedAt === undefined) times.push(addDuration(cp.dueAt, programme.followUp.escalateAfter));
  }
  return earliest(times);
}
