// Beneficiaries: a return case enrols its returnee when the plan naming this project is approved, and
// gives the slot back when it closes. Both arrive as messages from the case workflow; the project
// workflow runs them one at a time, so the slot check below and the enrolment are one indivisible step.
import type { Actor } from '../../domain/events';
import { toInstant } from '../../domain/time';
import { emit, finalize, newCtx, rejection, type ProjectApplied, type ProjectRejection } from './engine';
import { slotsUsed, type ProjectState } from './state';

export interface Enrolment {
  readonly caseId: string;
  /** The case's country of return: a project serves returnees to its own country only. */
  readonly country: string;
  /** Who approved the plan that asks for the enrolment. */
  readonly actor?: Actor;
}

export interface Release {
  readonly caseId: string;
  /** The case's outcome, e.g. withdrawn or completed. */
  readonly because: string;
  readonly actor?: Actor;
}

export type LinkDecision = ({ readonly ok: true } & ProjectApplied) | ({ readonly ok: false } & ProjectRejection);

const CASE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Enrols a case in a slot. Enrolling a case already enrolled changes nothing (a retried message);
 * the answer is then ok with no events.
 */
export function decideEnrolment(state: ProjectState, msg: Enrolment, now: string): LinkDecision {
  const at = toInstant(now, 'now');
  if (!CASE_ID.test(msg.caseId)) return { ok: false, ...rejection('INVALID_PAYLOAD', 'invalid payload: caseId', [{ path: 'caseId', message: 'not a case ID' }]) };
  if (state.stage !== 'implementation') {
    return { ok: false, ...rejection('PROJECT_NOT_ENROLLING', `project ${state.projectId} is in stage ${state.stage}; it enrols returnees only during implementation`) };
  }
  if (msg.country !== state.country) {
    return { ok: false, ...rejection('PROJECT_NOT_ENROLLING', `project ${state.projectId} runs in ${state.country}, not in the case's country of return ${msg.country}`) };
  }
  if (state.beneficiaries.some((b) => b.caseId === msg.caseId && b.status === 'enrolled')) return { ok: true, state, events: [], effects: [] };
  const used = slotsUsed(state);
  if (used >= state.slots) return { ok: false, ...rejection('NO_SLOTS_LEFT', `project ${state.projectId} has no slots left (${state.slots} of ${state.slots} taken)`) };
  const ctx = newCtx(state, at, msg.actor ? { actor: msg.actor } : undefined);
  ctx.s.beneficiaries.push({ caseId: msg.caseId, status: 'enrolled', enrolledAt: at });
  emit(ctx, 'project.beneficiary_enrolled', { caseId: msg.caseId, slotsUsed: used + 1, slots: state.slots });
  return { ok: true, ...finalize(ctx) };
}

/** Gives a case's slot back. A case not enrolled (never, or already released) changes nothing. */
export function decideRelease(state: ProjectState, msg: Release, now: string): LinkDecision {
  const at = toInstant(now, 'now');
  const enrolled = state.beneficiaries.findIndex((b) => b.caseId === msg.caseId && b.status === 'enrolled');
  if (enrolled < 0) return { ok: true, state, events: [], effects: [] };
  const ctx = newCtx(state, at, msg.actor ? { actor: msg.actor } : undefined);
  const b = ctx.s.beneficiaries[enrolled];
  b.status = 'left';
  b.leftAt = at;
  b.leftBecause = msg.because.slice(0, 40);
  emit(ctx, 'project.beneficiary_left', { caseId: msg.caseId, because: b.leftBecause, slotsUsed: slotsUsed(ctx.s), slots: state.slots });
  return { ok: true, ...finalize(ctx) };
}
