// The case state machine's entry points for human steps: what can be done now and by whom
// (allowedActions) and the pure decision on a command (decide). Rules live in rules-*.ts.
import { z } from 'zod';
import { ActorSchema, type Actor, type DomainEvent, type Effect } from './events';
import { finalize, newCtx, type ActionRule, type Rejection, type RejectionCode, type RuleBook } from './engine';
import { ACTION_PAYLOADS } from './payloads';
import type { Programme } from './programme';
import { AFTER_RETURN_RULES } from './rules-after-return';
import { CLOSING_RULES } from './rules-closing';
import { PREPARATION_RULES } from './rules-preparation';
import { TRAVEL_RULES } from './rules-travel';
import { issuePath, type CaseState, type Issue } from './state';
import { toInstant } from './time';
import { Action, ACTIONS, type Role } from './vocabulary';

export type { RejectionCode } from './engine';
// One import site for the workflow and the API.
export { ACTION_PAYLOADS } from './payloads';
export { tick, nextWakeup, type TickResult } from './tick';
export { applyErasure } from './erasure';
export { stampEvents, type Actor, type DomainEvent, type Effect, type StampedEvent } from './events';

export const RULES: RuleBook<Action> = {
  ...PREPARATION_RULES,
  ...TRAVEL_RULES,
  ...AFTER_RETURN_RULES,
  ...CLOSING_RULES,
};

export interface Command {
  /** An action name; anything else is rejected with UNKNOWN_ACTION. */
  readonly action: string;
  readonly payload?: unknown;
  readonly actor: Actor;
  /** Optional free-text reason, kept in the timeline (required to close with outcome other). */
  readonly reason?: string;
}

export type Decision =
  | { readonly ok: true; readonly state: CaseState; readonly events: DomainEvent[]; readonly effects: Effect[] }
  | {
      readonly ok: false;
      readonly code: RejectionCode;
      readonly message: string;
      /** Actions allowed in the current state, for any role. */
      readonly allowed: Action[];
      readonly issues?: readonly Issue[];
    };

export interface AllowedAction {
  readonly action: Action;
  readonly roles: readonly Role[];
}

function ruleOf(action: Action): ActionRule<unknown> {
  return RULES[action] as ActionRule<unknown>;
}

/** What can be done now, and by which roles. Empty once the case is closed. */
export function allowedActions(state: CaseState, programme: Programme): AllowedAction[] {
  const out: AllowedAction[] = [];
  for (const action of ACTIONS) {
    const rule = ruleOf(action);
    if (!rule.stages.includes(state.stage)) continue;
    if (rule.guard?.(state, programme)) continue;
    out.push({ action, roles: [...rule.roles(state, programme)] });
  }
  return out;
}

const Reason = z.string().max(1000);

/**
 * Decides a command against the current state at `now`. Pure: the input state is never
 * mutated; on success the new state (seq advanced by events.length, timeline appended),
 * the events to record and the effects to run are returned.
 */
export function decide(state: CaseState, programme: Programme, command: Command, now: string): Decision {
  const at = toInstant(now, 'now');
  if (programme.id !== state.programmeId) throw new Error('decide: the programme does not match the case');
  const allowed = (): Action[] => allowedActions(state, programme).map((a) => a.action);
  const reject = (r: Rejection): Decision => ({
    ok: false,
    code: r.code,
    message: r.message,
    allowed: allowed(),
    ...(r.issues ? { issues: r.issues } : {}),
  });

  const action = Action.safeParse(command.action);
  if (!action.success) {
    return reject({ code: 'UNKNOWN_ACTION', message: 'unknown action' });
  }
  const name = action.data;
  const actor = ActorSchema.safeParse(command.actor);
  if (!actor.success) {
    return reject({
      code: 'INVALID_PAYLOAD',
      message: 'invalid actor',
      issues: actor.error.issues.map((i) => ({ path: issuePath(['actor', ...i.path]), message: i.message })),
    });
  }
  const reasonParse = Reason.optional().safeParse(command.reason);
  if (!reasonParse.success) {
    return reject({ code: 'INVALID_PAYLOAD', message: 'invalid reason', issues: [{ path: 'reason', message: 'at most 1000 characters' }] });
  }
  const reason = reasonParse.data?.trim() ? reasonParse.data : undefined;

  const rule = ruleOf(name);
  if (!rule.stages.includes(state.stage)) {
    return reject({ code: 'NOT_ALLOWED_NOW', message: `${name} is not allowed in stage ${state.stage}` });
  }
  const blocked = rule.guard?.(state, programme);
  if (blocked) return reject(blocked);
  const roles = rule.roles(state, programme);
  if (!roles.includes(actor.data.role)) {
    return reject({
      code: 'ROLE_NOT_ALLOWED',
      message: `${name} needs the role ${roles.join(' or ')}, not ${actor.data.role}`,
    });
  }
  const payload = ACTION_PAYLOADS[name].safeParse(command.payload ?? {});
  if (!payload.success) {
    const issues = payload.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
    return reject({
      code: 'INVALID_PAYLOAD',
      message: `invalid payload for ${name}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
      issues,
    });
  }

  const ctx = newCtx(state, programme, at, {
    action: name,
    actor: actor.data,
    ...(reason !== undefined ? { reason } : {}),
  });
  const refused = rule.run(ctx, payload.data);
  if (refused) return reject(refused);
  return { ok: true, ...finalize(ctx) };
}
