// The return case's side of a cooperation project (workflows/cooperation): approving a plan that names a
// project enrols the returnee BEFORE the approval is committed (a full project refuses it, and the case
// stays unchanged), and closing a case that holds a slot gives the slot back AFTER the close is committed.
import { ApplicationFailure, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { Actor } from '../domain/events';
import type { Programme } from '../domain/programme';
import type { CaseState } from '../domain/state';
import { allowedActions } from '../domain/transitions';

const { enrolInProject, releaseProjectSlot } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Cases whose plan named a project before this code existed replay without these calls (docs/workflow-changes.md).
const ENROL_PATCH = 'cooperation-enrolment';
const RELEASE_PATCH = 'cooperation-release-slot';

/** The project a case holds a slot in: an approved plan that names one (the approval committed only after enrolment). */
function slotHeld(s: CaseState): string | undefined {
  return s.plan?.status === 'approved' ? s.plan.cooperationProjectId : undefined;
}

/**
 * Enrols the returnee when `next` approves a plan naming a project; throws NO_SLOTS_LEFT or PROJECT_NOT_ENROLLING
 * otherwise. approve_plan depends on the case state alone, which nothing else can change within the update's turn,
 * so the commit that follows never refuses an approval the project has accepted: no undo is needed.
 */
export async function enrolBeforeCommit(prev: CaseState, next: CaseState, programme: Programme, actor: Actor): Promise<void> {
  const projectId = slotHeld(next);
  if (!projectId || slotHeld(prev) === projectId || !patched(ENROL_PATCH)) return;
  const answer = await enrolInProject({ projectId, caseId: next.caseId, country: next.country, actor });
  if (answer.ok) return;
  throw ApplicationFailure.create({
    type: answer.code,
    message: answer.message,
    nonRetryable: true,
    details: [{ allowed: allowedActions(prev, programme).map((a) => a.action), issues: [] }],
  });
}

/** Gives the slot back once a case holding one has closed (withdrawn, completed or any other outcome). */
export async function releaseAfterCommit(prev: CaseState, next: CaseState, actor?: Actor): Promise<void> {
  const projectId = slotHeld(next);
  if (!projectId || prev.stage === 'closed' || next.stage !== 'closed' || !patched(RELEASE_PATCH)) return;
  await releaseProjectSlot({ projectId, caseId: next.caseId, because: next.outcome ?? 'closed', ...(actor ? { actor } : {}) });
}
