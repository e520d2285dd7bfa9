// The cooperation workflow's messages, defined once: the API, the case workflow's activities, the tests
// and the workflow import these constants.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/events';
import type { Enrolment, Release } from './domain/enrolment';
import type { ProjectState } from './domain/state';
import type { ProjectAction } from './domain/vocabulary';

export interface ProjectActionCommand {
  action: ProjectAction;
  payload?: unknown;
  actor: Actor;
  reason?: string;
  requestId?: string;
}

/** What a case learns from its enrolment or release. */
export interface SlotAnswer {
  projectId: string;
  slots: number;
  slotsUsed: number;
}

/** A human step on the project. The validator rejects a step not allowed now; an accepted one returns the new state. */
export const projectActionUpdate = defineUpdate<ProjectState, [ProjectActionCommand]>('projectAction');
/** From a case workflow (through an activity) when the plan naming this project is approved. */
export const enrolBeneficiaryUpdate = defineUpdate<SlotAnswer, [Enrolment]>('enrolBeneficiary');
/** From a case workflow when a case that holds a slot closes. */
export const releaseSlotUpdate = defineUpdate<SlotAnswer, [Release]>('releaseSlot');
export const projectStateQuery = defineQuery<ProjectState>('projectState');
