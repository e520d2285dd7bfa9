// Which roles a case is waiting on: the basis of the workqueues (cases.pending_roles in the read model).
// Derived from the actions allowed now, minus the ones that are open for most of a case's life and so
// say nothing about what it waits for: withdrawing, reporting absconding, stopping assistance, closing early,
// and recording an erasure request (possible on every closed case; its approval, though, is awaited).
import type { AllowedAction } from '../domain/transitions';
import { ROLES, type Action, type Role, type Stage } from '../domain/vocabulary';

const NEVER_AWAITED: ReadonlySet<Action> = new Set(['withdraw', 'record_absconding', 'stop_assistance', 'request_erasure']);

/** True when taking `action` now is what moves the case on, rather than an early way out of it. */
export function isAwaited(action: Action, stage: Stage): boolean {
  if (NEVER_AWAITED.has(action)) return false;
  // Before the end, close_case is an early stop; in closure it is the sign-off the case waits for.
  if (action === 'close_case') return stage === 'closure';
  return true;
}

/** The roles that can move the case on now, each once, in the vocabulary's order. */
export function pendingRolesOf(stage: Stage, pending: readonly AllowedAction[]): Role[] {
  const roles = new Set<Role>();
  for (const a of pending) if (isAwaited(a.action, stage)) for (const r of a.roles) roles.add(r);
  return ROLES.filter((r) => roles.has(r));
}
