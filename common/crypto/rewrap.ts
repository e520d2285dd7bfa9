// Master key rotation: re-wraps every data key under the keyring's current master key. Payloads are not
// touched (they are encrypted with the data keys, which do not change), so rotation is quick and online.
import type { Pool } from 'pg';
import type { MasterKeyring } from './master-keys';

export async function rewrapDataKeys(pool: Pool, keyring: MasterKeyring): Promise<{ rewrapped: number }> {
  const current = keyring.current.id;
  const { rows } = await pool.query<{ key_id: string; wrapped: Buffer; master_key_id: string }>(
    'SELECT key_id, wrapped, master_key_id FROM case_keys WHERE wrapped IS NOT NULL AND master_key_id <> $1',
    [current],
  );
  let rewrapped = 0;
  for (const row of rows) {
    const { masterKeyId, wrapped } = keyring.wrap(keyring.unwrap(row.master_key_id, row.wrapped));
    // Only if nobody destroyed or re-wrapped it meanwhile: erasure always wins.
    const res = await pool.query(
      'UPDATE case_keys SET wrapped = $2, master_key_id = $3 WHERE key_id = $1 AND master_key_id = $4 AND wrapped IS NOT NULL',
      [row.key_id, wrapped, masterKeyId, row.master_key_id],
    );
    rewrapped += res.rowCount ?? 0;
  }
  return { rewrapped };
}
