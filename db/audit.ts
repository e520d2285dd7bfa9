// Appends to the hash-chained audit log. A per-case advisory lock serialises writers so the chain never forks;
// the hash is computed where the entry is written (db function audit_append) and checked here (chainHash).
import crypto from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
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

/**
 * Appends one entry to the case's chain and returns its number. One statement (db function audit_append: the
 * case's lock, its last entry, the hash chainHash would compute, the insert), so a pool can take it outside a
 * transaction: a read's access entry is then one round trip. Inside a transaction, the lock lasts until its end.
 */
export async function appendAudit(db: Pool | PoolClient, entry: AuditEntry): Promise<number> {
  const f = hashedFields({ ...entry, entryNo: 0 });
  const { rows } = await db.query<{ entry_no: number }>(
    'SELECT audit_append($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) AS entry_no',
    [entry.caseId, entry.kind, f.eventSeq, f.actorId, f.actorRole, entry.action, f.reason, f.stageBefore, f.stageAfter, f.requestId, f.occurredAt],
  );
  return rows[0].entry_no;
}
