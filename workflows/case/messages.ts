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

export interface AssignCommand {
  /** The staff member's user ID, or null to take the case back. */
  assignee: string | null;
  actor: Actor;
  requestId?: string;
}

/** Gives the case to a staff member or takes it back (workflows/case/assignment.ts); returns the new state. */
export const assignCaseUpdate = defineUpdate<CaseState, [AssignCommand]>('assignCase');

export interface PartnerAssignCommand {
  partnerId: string;
  actor: Actor;
  requestId?: string;
}

/** Assigns the case to a partner agency (it then sees the case, acts on it and gets its webhooks). */
export const assignPartnerUpdate = defineUpdate<CaseState, [PartnerAssignCommand]>('assignPartner');

export const caseStateQuery = defineQuery<CaseState>('caseState');
