// Partners' confirmations that they erased a case: which are still missing, and counting reminders.
import type { Pool } from 'pg';

export async function pendingErasureAcks(pool: Pool, caseId: string): Promise<string[]> {
  const { rows } = await pool.query<{ partner_id: string }>(
    'UPDATE erasure_acks SET reminders = reminders + 1 WHERE case_id = $1 AND acknowledged_at IS NULL RETURNING partner_id',
    [caseId],
  );
  return rows.map((r) => r.partner_id).sort();
}
