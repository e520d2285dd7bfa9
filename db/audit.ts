// Appends to the hash-chained audit log. Callers pass a client inside a transaction;
// a per-case advisory lock serialises writers so the chain never forks.
import crypto from 'node:crypto';
import type { PoolClient } from 'pg';
import { canonicalJson } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditKind = 'transition' | 'access' | 'denied' | 'erasure';

export interface AuditEntry {
  caseId: string;
  kind: AuditKind;
  eventSeq?: number | null;
  actorId?: string | null;
  actorRole?: string | null;
  action: string;
  reason?: string | null;
  stageBefore?: string | null;
  stageAfter?: string | null;
  requestId?: string | null;
  occurredAt: string;
}

/** The fields that the hash covers, in one shape, for writing and for verifying. */
export function hashedFields(e: AuditEntry & { entryNo: number }): Record<string, unknown> {
  return {
    caseId: e.caseId,
    entryNo: e.entryNo,
    kind: e.kind,
    eventSeq: e.eventSeq ?? null,
    actorId: e.actorId ?? null,
    actorRole: e.actorRole ?? null,
    action: e.action,
    reason: e.reason ?? null,
    stageBefore: e.stageBefore ?? null,
    stageAfter: e.stageAfter ?? null,
    requestId: e.requestId ?? null,
    occurredAt: new Date(e.occurredAt).toISOString(),
  };
}

export function chainHash(prevHash: string, fields: Record<string, unknown>): string {
  return crypto.createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}

export async function lockCase(client: PoolClient, caseId: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [caseId]);
}

export async function appendAudit(client: PoolClient, entry: AuditEntry): Promise<void> {
  await lockCase(client, entry.caseId);
  const last = await client.query<{ entry_no: number; hash: string }>(
    'SELECT entry_no, hash FROM audit_log WHERE case_id = $1 ORDER BY entry_no DESC LIMIT 1',
    [entry.caseId],
  );
  const entryNo = (last.rows[0]?.entry_no ?? 0) + 1;
  const prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
  const fields = hashedFields({ ...entry, entryNo });
  await client.query(
    `INSERT INTO audit_log (case_id, entry_no, kind, event_seq, actor_id, actor_role, action, reason,
       stage_before, stage_after, request_id, occurred_at, prev_hash, hash)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
    [
      entry.caseId, entryNo, entry.kind, fields.eventSeq, fields.actorId, fields.actorRole, entry.action,
      fields.reason, fields.stageBefore, fields.stageAfter, fields.requestId, fields.occurredAt, prevHash,
      chainHash(prevHash, fields),
    ],
  );
}
