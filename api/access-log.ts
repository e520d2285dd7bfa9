// Every read of a case's personal data leaves an audit entry (who, which role, which request).
import type { Request } from 'express';
import type { Pool } from 'pg';
import { appendAudit } from '../db/audit';
import type { CaseRow } from './case-view';

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
