// The messages between a return case and a cooperation project: the case workflow's activities call the
// project workflow's updates through the worker's own client. An update (not a signal) because the case
// needs the answer: approve_plan commits only once the project has taken the returnee into a slot.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../workflows/domain/events';
import type { RejectionCode } from '../workflows/domain/engine';
import { enrolBeneficiaryUpdate, releaseSlotUpdate, type SlotAnswer } from '../workflows/cooperation/messages';
import { PROJECT_ID_RE } from '../workflows/cooperation/domain/vocabulary';

export type EnrolAnswer = ({ ok: true } & SlotAnswer) | { ok: false; code: Extract<RejectionCode, 'NO_SLOTS_LEFT' | 'PROJECT_NOT_ENROLLING'>; message: string };

export interface EnrolArgs {
  projectId: string;
  caseId: string;
  country: string;
  actor?: Actor;
  /** Stable across retries of one activity, so Temporal runs a retried update once. */
  updateId: string;
}

/** Asks the project for a slot. A refusal is an answer, not a failure: the case turns it into a 409. */
export async function enrolInProject(client: Client, args: EnrolArgs): Promise<EnrolAnswer> {
  const notEnrolling = (message: string): EnrolAnswer => ({ ok: false, code: 'PROJECT_NOT_ENROLLING', message });
  if (!PROJECT_ID_RE.test(args.projectId)) return notEnrolling(`the plan names no cooperation project (${args.projectId.slice(0, 64)})`);
  try {
    const answer = await client.workflow.getHandle(args.projectId).executeUpdate(enrolBeneficiaryUpdate, {
      args: [{ caseId: args.caseId, country: args.country, ...(args.actor ? { actor: args.actor } : {}) }],
      updateId: args.updateId,
    });
    return { ok: true, ...answer };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return notEnrolling(`no open cooperation project ${args.projectId}`);
    const failure = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause : undefined;
    if (failure?.type === 'NO_SLOTS_LEFT') return { ok: false, code: 'NO_SLOTS_LEFT', message: failure.message };
    if (failure?.type === 'PROJECT_NOT_ENROLLING') return notEnrolling(failure.message);
    throw err;
  }
}

/** Gives the slot back. A project already closed released every slot when it closed: nothing to do. */
export async function releaseProjectSlot(client: Client, args: { projectId: string; caseId: string; because: string; actor?: Actor }): Promise<{ released: boolean }> {
  if (!PROJECT_ID_RE.test(args.projectId)) return { released: false };
  try {
    await client.workflow.getHandle(args.projectId).executeUpdate(releaseSlotUpdate, {
      args: [{ caseId: args.caseId, because: args.because, ...(args.actor ? { actor: args.actor } : {}) }],
    });
    return { released: true };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { released: false };
    throw err;
  }
}
