// Auditors are read-only everywhere. An attempt of theirs to change a case is refused (403) and itself
// becomes an entry of kind 'denied' in that case's audit chain, so the attempt is as visible as a change.
import type { Request } from 'express';
import type { Pool } from 'pg';
import { appendAudit } from '../db/audit';
import type { Permission } from './authz';

const CASE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export async function recordDenied(pool: Pool, req: Request, permission: Permission): Promise<void> {
  const p = req.principal;
  const caseId = req.params?.id;
  // Only case-scoped routes (/cases/:id/...) have a chain to write to; the chain must already exist, so
  // a made-up ID cannot open a chain of its own.
  if (!p || typeof caseId !== 'string' || !CASE_ID.test(caseId) || !req.route?.path?.startsWith('/cases/:id')) return;
  const { rows } = await pool.query<{ stage: string }>('SELECT stage FROM cases WHERE case_id = $1', [caseId]);
  if (!rows[0]) return;
  await appendAudit(pool, {
    caseId,
    kind: 'denied',
    actorId: p.userId,
    actorRole: p.role,
    action: `${req.method} ${req.route.path}`,
    reason: `missing permission ${permission}`,
    stageBefore: rows[0].stage,
    stageAfter: rows[0].stage,
    requestId: String(req.id ?? ''),
    occurredAt: new Date().toISOString(),
  });
}
