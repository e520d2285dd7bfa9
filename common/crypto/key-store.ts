// Per-case data keys in Postgres, wrapped by the master keyring, cached briefly in memory.
// Destroying a case's key makes its encrypted payloads unreadable everywhere (crypto-shredding).
import crypto from 'node:crypto';
import type { Pool } from 'pg';
import type { MasterKeyring } from './master-keys';

export const SYSTEM_OWNER = 'system';
const CACHE_TTL_MS = 60_000;

export interface DataKey {
  keyId: string;
  key: Buffer;
}

export class KeyDestroyedError extends Error {
  name = 'KeyDestroyedError';
}

export class KeyStore {
  private byId = new Map<string, { key: DataKey; until: number }>();
  private byOwner = new Map<string, { key: DataKey; until: number }>();

  constructor(private readonly pool: Pool, private readonly keyring: MasterKeyring) {}

  /** The key that encrypts new payloads of this owner; an erased case's owner falls back to the system key. */
  async forOwner(ownerId: string): Promise<DataKey> {
    const cached = this.byOwner.get(ownerId);
    if (cached && cached.until > Date.now()) return cached.key;
    const fresh = crypto.randomBytes(32);
    const { masterKeyId, wrapped } = this.keyring.wrap(fresh);
    // Insert-or-read in one statement, so two processes creating the same case's key agree on one.
    const { rows } = await this.pool.query<{ key_id: string; wrapped: Buffer | null; master_key_id: string | null }>(
      `WITH ins AS (
         INSERT INTO case_keys (key_id, owner_id, wrapped, master_key_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (owner_id) DO NOTHING RETURNING key_id, wrapped, master_key_id)
       SELECT * FROM ins UNION ALL SELECT key_id, wrapped, master_key_id FROM case_keys WHERE owner_id = $2`,
      [`k-${crypto.randomUUID()}`, ownerId, wrapped, masterKeyId],
    );
    const row = rows[0] ?? (await this.pool.query('SELECT key_id, wrapped, master_key_id FROM case_keys WHERE owner_id = $1', [ownerId])).rows[0];
    if (!row.wrapped) return this.forOwner(SYSTEM_OWNER);
    const key = { keyId: row.key_id, key: this.keyring.unwrap(row.master_key_id!, row.wrapped) };
    this.remember(ownerId, key);
    return key;
  }

  async byKeyId(keyId: string): Promise<DataKey> {
    const cached = this.byId.get(keyId);
    if (cached && cached.until > Date.now()) return cached.key;
    const { rows } = await this.pool.query<{ owner_id: string; wrapped: Buffer | null; master_key_id: string | null }>(
      'SELECT owner_id, wrapped, master_key_id FROM case_keys WHERE key_id = $1',
      [keyId],
    );
    if (!rows[0] || !rows[0].wrapped) throw new KeyDestroyedError(`data key ${keyId} is destroyed or unknown`);
    const key = { keyId, key: this.keyring.unwrap(rows[0].master_key_id!, rows[0].wrapped) };
    this.remember(rows[0].owner_id, key);
    return key;
  }

  /** Crypto-shreds one case. Other processes' caches expire within CACHE_TTL_MS. */
  forget(ownerId: string): void {
    const k = this.byOwner.get(ownerId);
    if (k) this.byId.delete(k.key.keyId);
    this.byOwner.delete(ownerId);
  }

  private remember(ownerId: string, key: DataKey): void {
    const entry = { key, until: Date.now() + CACHE_TTL_MS };
    this.byOwner.set(ownerId, entry);
    this.byId.set(key.keyId, entry);
  }
}
