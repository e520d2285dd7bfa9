// Project IDs: minted here as coop-<uuid>, and claimed per Idempotency-Key so a retried POST reaches the same
// project workflow. Keys share the cases' table under their own namespace, so one key may serve both kinds.
import crypto from 'node:crypto';
import type { Pool } from 'pg';
import { Problem } from './problem';

export function newProjectId(): string {
  return `coop-${crypto.randomUUID()}`;
}

export async function claimProjectId(pool: Pool, principal: string, key: string, body: unknown): Promise<string> {
  const namespaced = `cooperation-project:${key}`;
  const requestHash = crypto.createHash('sha256').update(JSON.stringify(body)).digest('hex');
  // Two statements, not one: a racing request's row becomes visible only to a statement started after it committed.
  const inserted = await pool.query<{ case_id: string; request_hash: string }>(
    `INSERT INTO idempotency_keys (principal, key, request_hash, case_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (principal, key) DO NOTHING RETURNING case_id, request_hash`,
    [principal, namespaced, requestHash, newProjectId()],
  );
  const rows = inserted.rowCount
    ? inserted.rows
    : (await pool.query<{ case_id: string; request_hash: string }>('SELECT case_id, request_hash FROM idempotency_keys WHERE principal = $1 AND key = $2', [principal, namespaced])).rows;
  if (rows[0].request_hash !== requestHash) {
    throw new Problem(409, 'Conflict', 'This Idempotency-Key was already used for a different request', {}, 'idempotency-key-reused');
  }
  return rows[0].case_id;
}
