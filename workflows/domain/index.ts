// The domain's public surface for the workflow, activities and API: import from here.
export * from './vocabulary';
export * from './time';
export * from './duration';
export * from './countries';
export * from './amounts';
export * from './programme';
export * from './events';
export * from './state';
export * from './payloads';
export { allowedActions, decide, RULES, type AllowedAction, type Command, type Decision, type RejectionCode } from './transitions';
export { planRemaining } from './rules-after-return';
export { tick, nextWakeup, type TickResult } from './tick';
export { applyErasure } from './erasure';
