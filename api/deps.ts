// What the API needs from the outside world; tests build it from the real servers.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../common/config';
import type { Programme } from '../workflows/domain/programme';
import type { KeyStore } from '../common/crypto/key-store';

export interface AppDeps {
  config: Config;
  pool: Pool;
  temporal: Client;
  programmes: Map<string, Programme>;
  /** Per-case data keys: they unseal the read model's personal part. */
  keys: KeyStore;
}
