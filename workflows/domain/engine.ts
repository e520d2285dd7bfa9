// The machinery shared by every transition and by tick: a working copy of the state, the
// events and effects collected on the way, and finalize(), which applies the rules that
// hold for every stage change (SLA deadlines, escalation resolution, timeline, seq, money).
import type { PaymentMoment } from './amounts';
import { addDuration } from './duration';
import type { Actor, DomainEvent, Effect, EventData } from './events';
import type { Programme } from './programme';
import { summariseAmounts, type CaseState, type Issue } from './state';
import type { ActionPayloads } from './payloads';
import type { Action, EventType, Outcome, Role, Stage } from './vocabulary';

export type RejectionCode =
  | 'UNKNOWN_ACTION'
  | 'NOT_ALLOWED_NOW'
  | 'ROLE_NOT_ALLOWED'
  | 'INVALID_PAYLOAD'
  | 'OVER_BUDGET'
  | 'REBOOKING_LIMIT'
  | 'NOT_DUE_YET'
  | 'ALREADY_DONE'
  /** Set by the workflow when the reserve_place effect fails; decide never returns it. */
  | 'NO_PLACES_LEFT'
  /** Cooperation projects (workflows/cooperation): the project is full, or takes no beneficiaries now. */
  | 'NO_SLOTS_LEFT'
  | 'PROJECT_NOT_ENROLLING';

export interface Rejection {
  readonly code: RejectionCode;
  /** Names actions, stages, amounts and codes only: never personal data. */
  readonly message: string;
  readonly issues?: readonly Issue[];
}

export function rejection(code: RejectionCode, message: string, issues?: readonly Issue[]): Rejection {
  return issues ? { code, message, issues } : { code, message };
}

export function invalid(path: string, message: string): Rejection {
  return rejection('INVALID_PAYLOAD', `invalid payload: ${path}: ${message}`, [{ path, message }]);
}

interface PendingEvent {
  readonly type: EventType;
  readonly data: EventData;
}

/** A decision in progress. `s` is a private deep copy; the caller's state is never touched. */
export interface Ctx {
  readonly prev: CaseState;
  readonly s: CaseState;
  readonly programme: Programme;
  readonly now: string;
  readonly actor?: Actor;
  readonly action?: Action;
  readonly reason?: string;
  readonly events: PendingEvent[];
  readonly effects: Effect[];
  /** Facts for this command's case.action event; rules add to it as they run. */
  readonly actionData: Record<string, string | number | boolean | null>;
}

export interface Applied {
  readonly state: CaseState;
  readonly events: DomainEvent[];
  readonly effects: Effect[];
}

/** Deep copy through JSON: the state is plain JSON by design, and this works in the workflow sandbox. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A context for a command (which opens with its case.action event) or, without one, for tick. */
export function newCtx(
  prev: CaseState,
  programme: Programme,
  now: string,
  command?: { action: Action; actor: Actor; reason?: string },
): Ctx {
  const actionData: Ctx['actionData'] = {};
  const ctx: Ctx = {
    prev,
    s: clone(prev),
    programme,
    now,
    ...(command ? { action: command.action, actor: command.actor } : {}),
    ...(command?.reason !== undefined ? { reason: command.reason } : {}),
    events: command ? [{ type: 'case.action', data: actionData }] : [],
    effects: [],
    actionData,
  };
  return ctx;
}

/** The action's rule: what stage it is allowed in, who may do it, and what it does. */
export interface ActionRule<P> {
  readonly stages: readonly Stage[];
  readonly roles: (s: CaseState, p: Programme) => readonly Role[];
  /** A precondition on the state beyond the stage; when it fails the action is not offered. */
  readonly guard?: (s: CaseState, p: Programme) => Rejection | undefined;
  /** Applies the action to ctx.s, or returns why it cannot. */
  readonly run: (ctx: Ctx, payload: P) => Rejection | undefined;
}

export type RuleBook<As extends Action> = { readonly [A in As]: ActionRule<ActionPayloads[A]> };

export const STAFF: readonly Role[] = ['caseworker', 'supervisor'];
export const SUPERVISOR: readonly Role[] = ['supervisor'];
export const PARTNER: readonly Role[] = ['partner'];
export const STAFF_OR_PARTNER: readonly Role[] = ['caseworker', 'partner', 'supervisor'];
export const roles =
  (r: readonly Role[]) =>
  (): readonly Role[] =>
    r;

export function emit(ctx: Ctx, type: EventType, data: EventData = {}): void {
  ctx.events.push({ type, data });
}

export function effect(ctx: Ctx, e: Effect, compensation = false): void {
  ctx.effects.push(e);
  if (compensation) emit(ctx, 'case.compensation', { effect: e.type });
}

/** Orders the payments of one moment that are due now and not yet made. */
export function payMoment(ctx: Ctx, when: PaymentMoment): number {
  let total = 0;
  for (const c of ctx.s.entitlement.components) {
    if (!c.applies) continue;
    for (const part of c.parts) {
      if (part.when !== when || part.amount <= 0) continue;
      const id = `${c.id}:${when}`;
      if (ctx.s.payments.some((p) => p.id === id)) continue;
      ctx.s.payments.push({ id, kind: c.kind, when, amount: part.amount, status: 'paid', componentId: c.id, paidAt: ctx.now });
      orderPayment(ctx, id, c.kind, when, part.amount);
      total += part.amount;
    }
  }
  return total;
}

/** Emits the pay effect and the case.payment event for a payment already recorded as paid. */
export function orderPayment(
  ctx: Ctx,
  paymentId: string,
  kind: Extract<Effect, { type: 'pay' }>['kind'],
  when: PaymentMoment,
  amount: number,
): void {
  ctx.effects.push({ type: 'pay', paymentId, kind, when, amount, currency: 'EUR' });
  emit(ctx, 'case.payment', { paymentId, kind, when, amount, currency: 'EUR' });
}

/** Pre-departure money still to pay, in euros. */
export function unpaidPreDeparture(s: CaseState): number {
  let total = 0;
  for (const c of s.entitlement.components) {
    if (!c.applies) continue;
    for (const part of c.parts) {
      if (part.when === 'pre_departure' && !s.payments.some((p) => p.id === `${c.id}:pre_departure`)) total += part.amount;
    }
  }
  return total;
}

/**
 * Closes the case. Before departure this runs the compensations (cancel the booking,
 * release the funded place, stop payments, tell the partners); in every case money still
 * scheduled is cancelled and open escalations are resolved.
 */
export function closeCase(ctx: Ctx, outcome: Outcome, reasonCode: string): void {
  const s = ctx.s;
  if (s.departedAt === undefined) {
    if (s.booking?.status === 'active') {
      s.booking.status = 'cancelled';
      effect(ctx, { type: 'cancel_booking' }, true);
    }
    if (s.placeReserved) {
      s.placeReserved = false;
      effect(ctx, { type: 'release_place', programmeId: s.programmeId }, true);
    }
    effect(ctx, { type: 'stop_payments' }, true);
    effect(ctx, { type: 'notify_partners', reason: `case_closed_${outcome}` }, true);
  }
  for (const p of s.payments) if (p.status === 'scheduled') p.status = 'cancelled';
  for (const t of s.tranches) if (t.status === 'submitted') t.status = 'cancelled';
  for (const e of s.escalations) if (e.resolvedAt === undefined) e.resolvedAt = ctx.now;
  s.outcome = outcome;
  s.outcomeReason = reasonCode;
  s.closedAt = ctx.now;
  s.stage = 'closed';
}

/** After reintegration ends (budget spent or assistance stopped): monitoring, or closure if nothing is left to monitor. */
export function afterReintegration(ctx: Ctx): void {
  ctx.s.stage = ctx.s.checkpoints.every((c) => c.reportedAt !== undefined) ? 'closure' : 'monitoring';
}

export function slaKey(stage: Stage, seq: number): string {
  return `sla:${stage}:${seq}`;
}

/**
 * Turns the collected changes into the result: adds stage_changed/closed events, resets
 * the SLA deadline when the stage changed, resolves escalations of the stage left, numbers
 * the events (seq) into the timeline and refreshes the money summary.
 */
export function finalize(ctx: Ctx): Applied {
  const { prev, s, now } = ctx;
  const pending: PendingEvent[] = [...ctx.events];
  const changed = s.stage !== prev.stage;
  if (changed) {
    pending.push({ type: 'case.stage_changed', data: { from: prev.stage, to: s.stage } });
    if (s.stage === 'closed') {
      pending.push({ type: 'case.closed', data: { outcome: s.outcome ?? null, reason: s.outcomeReason ?? null } });
    }
  }
  const events: DomainEvent[] = pending.map((e) => ({
    type: e.type,
    stageBefore: prev.stage,
    stageAfter: s.stage,
    ...(ctx.action ? { action: ctx.action } : {}),
    ...(ctx.actor ? { actor: ctx.actor } : {}),
    ...(ctx.reason !== undefined ? { reason: ctx.reason } : {}),
    data: e.data,
  }));

  if (changed) {
    const enteredSeq = prev.seq + pending.findIndex((e) => e.type === 'case.stage_changed') + 1;
    for (const e of s.escalations) {
      if (e.resolvedAt === undefined && e.stage === prev.stage && !e.key.startsWith('checkpoint:')) e.resolvedAt = now;
    }
    s.stageEnteredAt = now;
    const sla = s.stage === 'closed' || s.stage === 'erased' ? undefined : ctx.programme.deadlines[s.stage];
    s.deadlines = sla ? [{ key: slaKey(s.stage, enteredSeq), stage: s.stage, dueAt: addDuration(now, sla) }] : [];
  }

  events.forEach((e, i) => {
    s.timeline.push({
      seq: prev.seq + i + 1,
      at: now,
      type: e.type,
      ...(e.action ? { action: e.action } : {}),
      ...(e.actor ? { actor: e.actor } : {}),
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
      stageBefore: e.stageBefore,
      stageAfter: e.stageAfter,
    });
  });
  s.seq = prev.seq + events.length;
  s.amounts = summariseAmounts(s);
  return { state: s, events, effects: [...ctx.effects] };
}
