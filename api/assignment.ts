// Giving a case to a staff member, or taking it back, through the case's workflow (assignCase), so the
// state, the Assignee search attribute and the read model change together in one recorded transition.
import type { Request } from 'express';
import { z } from 'zod';
import { assignCaseUpdate } from '../workflows/case/messages';
import { findVisibleCase } from './case-view';
import type { AppDeps } from './deps';
import { notFound, Problem } from './problem';

/** The same shape the workflow checks (workflows/case/assignment.ts). */
export const AssigneeBody = z.strictObject({
  assignee: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/, 'a user ID').describe('User ID of a caseworker or supervisor of the case\'s office'),
});

export const AssignmentSchema = z.object({
  caseId: z.string(),
  assignee: z.string().nullable(),
  seq: z.number().int(),
});

export async function assign(deps: AppDeps, req: Request, caseId: string, assignee: string | null): Promise<z.infer<typeof AssignmentSchema>> {
  const p = req.principal!;
  const row = await findVisibleCase(deps.pool, p, caseId);
  if (!row) throw notFound();
  // The workflow refuses these too, but an erased case's workflow has ended and could not answer at all.
  if (row.stage === 'closed' || row.stage === 'erased') {
    throw new Problem(409, 'Conflict', `A case in stage ${row.stage} cannot be assigned`, { reason: 'NOT_ALLOWED_NOW', allowedActions: [] }, 'not-allowed-now');
  }
  if (assignee !== null) await assertStaffOf(deps, assignee, row.office);
  const state = await deps.temporal.workflow.getHandle(caseId).executeUpdate(assignCaseUpdate, {
    args: [{ assignee, actor: { userId: p.userId, role: p.role }, requestId: String(req.id ?? '') }],
  });
  // The state holds personal data: only the assignment leaves.
  return { caseId, assignee: state.assignee ?? null, seq: state.seq };
}

/** Only staff who can work the case: a caseworker or supervisor of its office (or of every office). */
async function assertStaffOf(deps: AppDeps, userId: string, office: string): Promise<void> {
  const { rows } = await deps.pool.query<{ role: string; office: string | null }>('SELECT role, office FROM users WHERE user_id = $1', [userId]);
  const u = rows[0];
  if (!u || !['caseworker', 'supervisor'].includes(u.role) || (u.office !== null && u.office !== office)) {
    throw new Problem(422, 'Unprocessable Content', 'The assignee must be a caseworker or supervisor of the case\'s office', {
      errors: [{ path: 'body.assignee', message: 'not a caseworker or supervisor of this office' }],
    }, 'validation-failed');
  }
}
