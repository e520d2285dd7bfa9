// Giving a case to a staff member, or taking it back. It runs beside the lifecycle rather than in it: its
// own Update (assignCase) and event type (case.assigned), so it is never one of the actions a case waits on.
import { clone, rejection, type Rejection } from '../domain/engine';
import { ActorSchema, type DomainEvent } from '../domain/events';
import type { CaseState } from '../domain/state';
import { toInstant } from '../domain/time';
import type { Role } from '../domain/vocabulary';
import type { AssignCommand, PartnerAssignCommand } from './messages';

/** The same roles as the API's case.assign permission; checked again here because the workflow is the authority. */
const ASSIGNERS: readonly Role[] = ['caseworker', 'supervisor'];
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/;

export type AssignDecision =
  | { readonly ok: true; readonly state: CaseState; readonly events: DomainEvent[] }
  | { readonly ok: false; readonly rejection: Rejection };

/**
 * Decides an assignment at `now`. Pure, like decide(). Assigning the current assignee again, or taking back
 * an unassigned case, is accepted with no event, so a retried request changes nothing.
 */
export function decideAssignment(state: CaseState, cmd: AssignCommand, now: string): AssignDecision {
  const at = toInstant(now, 'now');
  const refuse = (r: Rejection): AssignDecision => ({ ok: false, rejection: r });
  if (state.stage === 'closed' || state.stage === 'erased') {
    return refuse(rejection('NOT_ALLOWED_NOW', `a case in stage ${state.stage} cannot be assigned`));
  }
  const actor = ActorSchema.safeParse(cmd.actor);
  if (!actor.success) return refuse(rejection('INVALID_PAYLOAD', 'invalid actor', [{ path: 'actor', message: 'invalid' }]));
  if (!ASSIGNERS.includes(actor.data.role)) {
    return refuse(rejection('ROLE_NOT_ALLOWED', `assigning a case needs the role ${ASSIGNERS.join(' or ')}, not ${actor.data.role}`));
  }
  if (cmd.assignee !== null && !USER_ID.test(cmd.assignee)) {
    return refuse(rejection('INVALID_PAYLOAD', 'invalid payload: assignee: not a user ID', [{ path: 'assignee', message: 'not a user ID' }]));
  }
  const assignee = cmd.assignee ?? undefined;
  if (state.assignee === assignee) return { ok: true, state, events: [] };

  const s = clone(state);
  if (assignee === undefined) delete s.assignee;
  else s.assignee = assignee;
  s.seq = state.seq + 1;
  s.timeline.push({ seq: s.seq, at, type: 'case.assigned', actor: actor.data, stageBefore: s.stage, stageAfter: s.stage });
  const event: DomainEvent = {
    type: 'case.assigned',
    stageBefore: s.stage,
    stageAfter: s.stage,
    actor: actor.data,
    data: { assignee: assignee ?? null },
  };
  return { ok: true, state: s, events: [event] };
}

/** Roles that assign a case to a partner agency (the API's check is repeated: the workflow is the authority). */
const PARTNER_ASSIGNERS: readonly Role[] = ['supervisor', 'admin'];

/**
 * Assigns the case to a partner agency: it then sees the case, acts on it and gets its webhooks. Assigning a
 * partner already assigned is accepted with no event. An erased case takes no new partner.
 */
export function decidePartnerAssignment(state: CaseState, cmd: PartnerAssignCommand, now: string): AssignDecision {
  const at = toInstant(now, 'now');
  const refuse = (r: Rejection): AssignDecision => ({ ok: false, rejection: r });
  if (state.stage === 'erased') return refuse(rejection('NOT_ALLOWED_NOW', 'an erased case takes no new partner'));
  const actor = ActorSchema.safeParse(cmd.actor);
  if (!actor.success) return refuse(rejection('INVALID_PAYLOAD', 'invalid actor', [{ path: 'actor', message: 'invalid' }]));
  if (!PARTNER_ASSIGNERS.includes(actor.data.role)) {
    return refuse(rejection('ROLE_NOT_ALLOWED', `assigning a partner needs the role ${PARTNER_ASSIGNERS.join(' or ')}, not ${actor.data.role}`));
  }
  if (!USER_ID.test(cmd.partnerId)) {
    return refuse(rejection('INVALID_PAYLOAD', 'invalid payload: partnerId: not a partner ID', [{ path: 'partnerId', message: 'not a partner ID' }]));
  }
  if (state.partnerIds.includes(cmd.partnerId)) return { ok: true, state, events: [] };
  const s = clone(state);
  s.partnerIds = [...s.partnerIds, cmd.partnerId];
  s.seq = state.seq + 1;
  s.timeline.push({ seq: s.seq, at, type: 'case.partner_assigned', actor: actor.data, stageBefore: s.stage, stageAfter: s.stage });
  const event: DomainEvent = { type: 'case.partner_assigned', stageBefore: s.stage, stageAfter: s.stage, actor: actor.data, data: { partnerId: cmd.partnerId } };
  return { ok: true, state: s, events: [event] };
}
