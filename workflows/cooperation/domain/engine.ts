// The machinery shared by every project step, enrolment and tick: a working copy of the state, the
// events and effects collected on the way, and finalize(), which applies what holds for every stage
// change (stage SLA, escalations of the stage left, closing events, timeline, seq, funds).
import type { Actor } from '../../domain/events';
import type { RejectionCode } from '../../domain/engine';
import type { Issue } from '../../domain/state';
import { addDuration } from '../../domain/duration';
import type { Role } from '../../domain/vocabulary';
import type { ProjectActionPayloads } from './payloads';
import type { ProjectAction, ProjectEventType, ProjectOutcome, ProjectStage } from './vocabulary';
import { summariseFunds, type ProjectState } from './state';

/** The codes a project can answer with; a subset of the case's, so the API maps both in one place. */
export type ProjectRejectionCode = Extract<
  RejectionCode,
  'UNKNOWN_ACTION' | 'NOT_ALLOWED_NOW' | 'ROLE_NOT_ALLOWED' | 'INVALID_PAYLOAD' | 'OVER_BUDGET' | 'NOT_DUE_YET' | 'ALREADY_DONE' | 'NO_SLOTS_LEFT' | 'PROJECT_NOT_ENROLLING'
>;

export interface ProjectRejection {
  readonly code: ProjectRejectionCode;
  /** Names actions, stages, amounts and IDs only: never personal data. */
  readonly message: string;
  readonly issues?: readonly Issue[];
}

export function rejection(code: ProjectRejectionCode, message: string, issues?: readonly Issue[]): ProjectRejection {
  return issues ? { code, message, issues } : { code, message };
}

export function invalid(path: string, message: string): ProjectRejection {
  return rejection('INVALID_PAYLOAD', `invalid payload: ${path}: ${message}`, [{ path, message }]);
}

/** Non-personal facts only: codes, amounts, case IDs, counts. */
export type ProjectEventData = Readonly<Record<string, string | number | boolean | null>>;

export interface ProjectEvent {
  readonly type: ProjectEventType;
  readonly stageBefore: ProjectStage;
  readonly stageAfter: ProjectStage;
  readonly action?: ProjectAction;
  readonly actor?: Actor;
  /** Free text typed by staff, kept for auditors and left out of webhooks. */
  readonly reason?: string;
  readonly data: ProjectEventData;
}

/** Side effects the recording activity applies in its transaction: a released tranche becomes a payment order. */
export type ProjectEffect = { readonly type: 'pay_tranche'; readonly trancheId: string; readonly amount: number };

export interface ProjectApplied {
  readonly state: ProjectState;
  readonly events: ProjectEvent[];
  readonly effects: ProjectEffect[];
}

interface PendingEvent {
  readonly type: ProjectEventType;
  readonly data: ProjectEventData;
}

/** A decision in progress; `s` is a private deep copy, the caller's state is never touched. */
export interface Ctx {
  readonly prev: ProjectState;
  readonly s: ProjectState;
  readonly now: string;
  readonly actor?: Actor;
  readonly action?: ProjectAction;
  readonly reason?: string;
  readonly events: PendingEvent[];
  readonly effects: ProjectEffect[];
  /** Facts for this command's project.action event; rules add to it as they run. */
  readonly actionData: Record<string, string | number | boolean | null>;
}

export function newCtx(prev: ProjectState, now: string, command?: { action?: ProjectAction; actor?: Actor; reason?: string }): Ctx {
  const actionData: Ctx['actionData'] = {};
  return {
    prev,
    // Through JSON: the state is plain JSON by design, and this works in the workflow sandbox.
    s: JSON.parse(JSON.stringify(prev)) as ProjectState,
    now,
    ...(command?.action ? { action: command.action } : {}),
    ...(command?.actor ? { actor: command.actor } : {}),
    ...(command?.reason !== undefined ? { reason: command.reason } : {}),
    events: command?.action ? [{ type: 'project.action', data: actionData }] : [],
    effects: [],
    actionData,
  };
}

export function emit(ctx: Ctx, type: ProjectEventType, data: ProjectEventData = {}): void {
  ctx.events.push({ type, data });
}

export function escalate(ctx: Ctx, key: string, reason: string, dueAt: string, extra: Record<string, string | number> = {}): void {
  ctx.s.escalations.push({ key, stage: ctx.s.stage, raisedAt: ctx.now, reason });
  emit(ctx, 'project.escalated', { key, stage: ctx.s.stage, reason, dueAt, ...extra });
}

/** Ends the project: every beneficiary still enrolled leaves with it, pending tranches lapse, escalations close. */
export function closeProject(ctx: Ctx, outcome: ProjectOutcome, reasonCode: string): void {
  const s = ctx.s;
  for (const b of s.beneficiaries) {
    if (b.status !== 'enrolled') continue;
    b.status = 'left';
    b.leftAt = ctx.now;
    b.leftBecause = 'project_closed';
    emit(ctx, 'project.beneficiary_left', { caseId: b.caseId, because: 'project_closed' });
  }
  for (const t of s.tranches) if (t.status === 'submitted') t.status = 'cancelled';
  for (const e of s.escalations) if (e.resolvedAt === undefined) e.resolvedAt = ctx.now;
  s.outcome = outcome;
  s.outcomeReason = reasonCode;
  s.closedAt = ctx.now;
  s.stage = 'closed';
}

export function slaKey(stage: ProjectStage, seq: number): string {
  return `sla:${stage}:${seq}`;
}

/**
 * Turns the collected changes into the result: stage_changed/closed events, the new stage's SLA,
 * escalations of the stage left resolved, events numbered into the timeline, funds refreshed.
 */
export function finalize(ctx: Ctx): ProjectApplied {
  const { prev, s, now } = ctx;
  const pending: PendingEvent[] = [...ctx.events];
  const changed = s.stage !== prev.stage;
  if (changed) {
    pending.push({ type: 'project.stage_changed', data: { from: prev.stage, to: s.stage } });
    if (s.stage === 'closed') pending.push({ type: 'project.closed', data: { outcome: s.outcome ?? null, reason: s.outcomeReason ?? null } });
  }
  const events: ProjectEvent[] = pending.map((e) => ({
    type: e.type,
    stageBefore: prev.stage,
    stageAfter: s.stage,
    ...(ctx.action ? { action: ctx.action } : {}),
    ...(ctx.actor ? { actor: ctx.actor } : {}),
    ...(ctx.reason !== undefined ? { reason: ctx.reason } : {}),
    data: e.data,
  }));
  if (changed) {
    const enteredSeq = prev.seq + pending.findIndex((e) => e.type === 'project.stage_changed') + 1;
    for (const e of s.escalations) if (e.resolvedAt === undefined && e.stage === prev.stage) e.resolvedAt = now;
    s.stageEnteredAt = now;
    const sla = s.stage === 'closed' || s.stage === 'implementation' ? undefined : s.settings.deadlines[s.stage];
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
  s.funds = summariseFunds(s);
  return { state: s, events, effects: [...ctx.effects] };
}

/** The action's rule: the stages it is allowed in, who may take it, and what it does. */
export interface ProjectRule<P> {
  readonly stages: readonly ProjectStage[];
  readonly roles: readonly Role[];
  /** A precondition beyond the stage; when it fails the action is not offered. */
  readonly guard?: (s: ProjectState) => ProjectRejection | undefined;
  /** Applies the action to ctx.s, or returns why it cannot. */
  readonly run: (ctx: Ctx, payload: P) => ProjectRejection | undefined;
}

export type ProjectRuleBook<As extends ProjectAction> = { readonly [A in As]: ProjectRule<ProjectActionPayloads[A]> };

export const STAFF: readonly Role[] = ['caseworker', 'supervisor'];
export const SUPERVISOR: readonly Role[] = ['supervisor'];
export const PARTNER: readonly Role[] = ['partner'];
export const STAFF_OR_PARTNER: readonly Role[] = ['caseworker', 'partner', 'supervisor'];
