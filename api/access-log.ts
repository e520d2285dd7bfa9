// Every read of a case's personal data leaves an audit entry (who, which role, which request).
import type { Request } from 'express';
import type { Pool } from 'pg';
import { appendAudit, type AuditEntry } from '../db/audit';
import { scopeClause, type CaseRow } from './case-view';

/**
 * The case's row if the caller may see it, with the read appended to its audit chain by the same statement: one
 * round trip, and never a row without its entry (if the entry fails, the statement fails).
 */
export async function readCaseLogged(pool: Pool, req: Request, caseId: string, action: string): Promise<CaseRow | undefined> {
  const e = accessEntry(req, caseId, action);
  const scope = scopeClause(req.principal!, 7);
  // audit_append (migration 1700000000014) runs once per row the WHERE lets through: here at most one. The row's
  // own stage is the entry's, as recordAccess writes it.
  const { rows } = await pool.query<CaseRow>(
    `SELECT *, audit_append(case_id, 'access', NULL, $2, $3, $4, NULL, stage, stage, $5, $6) AS access_entry_no
     FROM cases WHERE case_id = $1 AND ${scope.sql}`,
    [caseId, e.actorId, e.actorRole, e.action, e.requestId, e.occurredAt, ...scope.params],
  );
  return rows[0];
}

/** An access entry for a case the caller has already been shown to see (routes that log after their own work). */
export async function recordAccess(pool: Pool, req: Request, row: CaseRow, action: string): Promise<void> {
  // Written (and committed) before the data is sent: a read that cannot be logged is not answered.
  await appendAudit(pool, accessEntry(req, row.case_id, action, row.stage));
}

/** A read by the request's principal, now; `stage` where the case's is known (it is neither before nor after). */
export function accessEntry(req: Request, caseId: string, action: string, stage?: string): AuditEntry & { actorId: string; actorRole: string; requestId: string } {
  const p = req.principal!;
  return {
    caseId, kind: 'access', actorId: p.userId, actorRole: p.role, action, stageBefore: stage, stageAfter: stage,
    requestId: String(req.id ?? ''), occurredAt: new Date().toISOString(),
  };
}
