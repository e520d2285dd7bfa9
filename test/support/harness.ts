// Per-test-file harness: a worker and the API on the suite's real Temporal and PostgreSQL,
// plus small HTTP helpers. Each test file gets its own task queue so workers never steal each other's tasks.
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { loadConfig, type Config } from '../../common/config';
import { createPool } from '../../db/pool';
import { startApp, type AppRuntime } from '../../scripts/app-runtime';
import { DEMO_ACCOUNTS, DEMO_PARTNERS } from '../../db/seed';
import { httpClient, type HttpClient } from './http-client';
import { freePort } from './free-port';
import { createEncryption, type Encryption } from '../../common/crypto/data-converter';

export interface Harness {
  cfg: Config;
  app: AppRuntime;
  pool: Pool;
  temporal: Client;
  encryption: Encryption;
  url: string;
  token: HttpClient['token'];
  http: HttpClient['http'];
  stop(): Promise<void>;
}

export const EMAIL = {
  caseworker: DEMO_ACCOUNTS[0].email,
  caseworkerMilano: DEMO_ACCOUNTS[1].email,
  supervisor: DEMO_ACCOUNTS[2].email,
  auditor: DEMO_ACCOUNTS[3].email,
  admin: DEMO_ACCOUNTS[4].email,
} as const;
export const PARTNER_KEY = { iom: DEMO_PARTNERS[0].apiKey, prefettura: DEMO_PARTNERS[1].apiKey } as const;

export async function startHarness(overrides: Record<string, string> = {}): Promise<Harness> {
  const cfg = loadConfig({ ...process.env, PORT: String(await freePort()), TEMPORAL_TASK_QUEUE: `test-${crypto.randomUUID()}`,
    // The suite's one pre-built bundle: workers load it in a second, and the API replays against it.
    ...(process.env.AVRR_TEST_BUNDLE ? { WORKFLOW_BUNDLE_PATH: process.env.AVRR_TEST_BUNDLE } : {}), ...overrides });
  const services = { temporalAddress: process.env.TEMPORAL_ADDRESS!, databaseUrl: process.env.DATABASE_URL! };
  const app = await startApp(cfg, services);
  const pool = createPool(services.databaseUrl, 5);
  const connection = await Connection.connect({ address: services.temporalAddress });
  // The tests' own client decodes like the app's: same codec, same key store.
  const encryption = createEncryption(pool, cfg);
  const temporal = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE, dataConverter: encryption.dataConverter });
  const { http, token } = httpClient(app.url);

  return {
    cfg,
    app,
    pool,
    temporal,
    encryption,
    url: app.url,
    http,
    token,
    async stop() {
      await app.stop();
      await pool.end();
      await connection.close().catch(() => undefined);
    },
  };
}

