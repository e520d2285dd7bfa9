// The case workflow's messages, defined once: the API, the tests and the workflow import these constants.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Action } from '../domain/vocabulary';
import type { CaseState } from '../domain/state';
import type { Actor } from './records';

export interface ActionCommand {
  action: Action;
  payload?: unknown;
  actor: Actor;
  reason?: string;
  requestId?: string;
}

/** A human step. The validator rejects a step that is not allowed now; an accepted step returns the new state. */
export const caseActionUpdate = defineUpdate<CaseState, [ActionCommand]>('caseAction');
export const caseStateQuery = defineQuery<CaseState>('caseState');
