// Connections for the operator CLIs (replay, replay-batch, verify-audit): the configured PostgreSQL and
// Temporal, or, when none is configured, the ones `npm start` runs on this machine.
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { ConfigError, loadConfig, type Config } from '../common/config';
import { temporalConnectionOptions } from '../common/temporal';
import { createPool } from '../db/pool';
import type { DataConverter } from '@temporalio/common';
import { createEncryption } from '../common/crypto/data-converter';

export function cliConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration error: ${err.message}`);
    throw err;
  }
}

export function openPool(cfg: Config): Pool {
  // The embedded server's fixed account (db/embedded.ts); a deployment sets DATABASE_URL.
  return createPool(cfg.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${cfg.EMBEDDED_PG_PORT}/avrr`, 4);
}

export async function openTemporal(cfg: Config): Promise<{ client: Client; dataConverter: DataConverter; close(): Promise<void> }> {
  const address = cfg.TEMPORAL_ADDRESS ?? `127.0.0.1:${cfg.TEMPORAL_DEV_PORT}`;
  const connection = await Connection.connect(temporalConnectionOptions(cfg, address));
  // The case keys live in Postgres: the CLIs decode histories with the same codec as the app.
  const pool = openPool(cfg);
  const { dataConverter } = createEncryption(pool, cfg);
  return {
    client: new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE, dataConverter }),
    dataConverter,
    close: async () => {
      await connection.close();
      await pool.end();
    },
  };
}

/** Usage and configuration errors exit 2, so a deploy gate tells them from a failed check (1). */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
