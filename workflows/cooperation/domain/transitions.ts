// The project's entry points for human steps: what can be done now and by whom (allowedActions) and the
// pure decision on a command (decide). The rules live in rules-*.ts.
import { z } from 'zod';
import { ActorSchema, type Actor } from '../../domain/events';
import { issuePath, type Issue } from '../../domain/state';
import { toInstant } from '../../domain/time';
import type { Role } from '../../domain/vocabulary';
import { finalize, newCtx, type ProjectApplied, type ProjectRejection, type ProjectRejectionCode, type ProjectRule, type ProjectRuleBook } from './engine';
import { PROJECT_ACTION_PAYLOADS } from './payloads';
import { CLOSING_RULES } from './rules-closing';
import { IMPLEMENTATION_RULES } from './rules-implementation';
import { SETUP_RULES } from './rules-setup';
import type { ProjectState } from './state';
import { PROJECT_ACTIONS, ProjectAction } from './vocabulary';

export const PROJECT_RULES: ProjectRuleBook<ProjectAction> = { ...SETUP_RULES, ...IMPLEMENTATION_RULES, ...CLOSING_RULES };

export interface ProjectCommand {
  /** An action name; anything else is rejected with UNKNOWN_ACTION. */
  readonly action: string;
  readonly payload?: unknown;
  readonly actor: Actor;
  /** Free-text reason kept in the timeline (required to terminate). */
  readonly reason?: string;
}

export type ProjectDecision =
  | ({ readonly ok: true } & ProjectApplied)
  | {
      readonly ok: false;
      readonly code: ProjectRejectionCode;
      readonly message: string;
      /** Actions allowed in the current state, for any role. */
      readonly allowed: ProjectAction[];
      readonly issues?: readonly Issue[];
    };

export interface AllowedProjectAction {
  readonly action: ProjectAction;
  readonly roles: readonly Role[];
}

function ruleOf(action: ProjectAction): ProjectRule<unknown> {
  return PROJECT_RULES[action] as ProjectRule<unknown>;
}

/** What can be done now, and by which roles. Empty once the project is closed. */
export function allowedProjectActions(state: ProjectState): AllowedProjectAction[] {
  return PROJECT_ACTIONS.filter((a) => ruleOf(a).stages.includes(state.stage) && !ruleOf(a).guard?.(state)).map((action) => ({
    action,
    roles: [...ruleOf(action).roles],
  }));
}

const Reason = z.string().max(1000);

/** Decides a command against the state at `now`. Pure: the input state is never mutated. */
export function decideProject(state: ProjectState, command: ProjectCommand, now: string): ProjectDecision {
  const at = toInstant(now, 'now');
  const reject = (r: ProjectRejection): ProjectDecision => ({
    ok: false,
    code: r.code,
    message: r.message,
    allowed: allowedProjectActions(state).map((a) => a.action),
    ...(r.issues ? { issues: r.issues } : {}),
  });
  const action = ProjectAction.safeParse(command.action);
  if (!action.success) return reject({ code: 'UNKNOWN_ACTION', message: 'unknown action' });
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
  if (!reasonParse.success) return reject({ code: 'INVALID_PAYLOAD', message: 'invalid reason', issues: [{ path: 'reason', message: 'at most 1000 characters' }] });
  const reason = reasonParse.data?.trim() ? reasonParse.data : undefined;

  const rule = ruleOf(name);
  if (!rule.stages.includes(state.stage)) return reject({ code: 'NOT_ALLOWED_NOW', message: `${name} is not allowed in stage ${state.stage}` });
  const blocked = rule.guard?.(state);
  if (blocked) return reject(blocked);
  if (!rule.roles.includes(actor.data.role)) {
    return reject({ code: 'ROLE_NOT_ALLOWED', message: `${name} needs the role ${rule.roles.join(' or ')}, not ${actor.data.role}` });
  }
  const payload = PROJECT_ACTION_PAYLOADS[name].safeParse(command.payload ?? {});
  if (!payload.success) {
    const issues = payload.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
    return reject({
      code: 'INVALID_PAYLOAD',
      message: `invalid payload for ${name}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
      issues,
    });
  }
  const ctx = newCtx(state, at, { action: name, actor: actor.data, ...(reason !== undefined ? { reason } : {}) });
  const refused = rule.run(ctx, payload.data);
  if (refused) return reject(refused);
  return { ok: true, ...finalize(ctx) };
}
