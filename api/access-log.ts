// Every read of a case's personal data leaves an audit entry (who, which role, which request).
import type { Request } from 'express';
import type { Pool } from 'pg';
import { appendAudit } from '../db/audit';
import { scopeClause, type CaseRow } from './case-view';

/**
 * The case's row if the caller may see it, with the read appended to its audit chain by the same statement: one
 * round trip, and never a row without its entry (if the entry fails, the statement fails).
 */
export async function readCaseLogged(pool: Pool, req: Request, caseId: string, action: string): Promise<CaseRow | undefined> {
  const p = req.principal!;
  const scope = scopeClause(p, 7);
  // audit_append (migration 1700000000014) runs once per row the WHERE lets through: here at most one.
  const { rows } = await pool.query<CaseRow>(
    `SELECT *, audit_append(case_id, 'access', NULL, $2, $3, $4, NULL, stage, stage, $5, $6) AS access_entry_no
     FROM cases WHERE case_id = $1 AND ${scope.sql}`,
    [caseId, p.userId, p.role, action, String(req.id ?? ''), new Date().toISOString(), ...scope.params],
  );
  return rows[0];
}

/** An access entry for a case the caller has already been shown to see (routes that log after their own work). */
export async function recordAccess(pool: Pool, req: Request, row: CaseRow, action: string): Promise<void> {
  const p = req.principal!;
  // Written (and committed) before the data is sent: a read that cannot be logged is not answered.
  await appendAudit(pool, {
    caseId: row.case_id,
    kind: 'access',
    actorId: p.userId,
    actorRole: p.role,
    action,
    stageBefore: row.stage,
    stageAfter: row.stage,
    requestId: String(req.id ?? ''),
    occurredAt: new Date().toISOString(),
  });
}
