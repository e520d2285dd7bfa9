// Per-test-file harness: a worker and the API on the suite's real Temporal and PostgreSQL,
// plus small HTTP helpers. Each test file gets its own task queue so workers never steal each other's tasks.
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { loadConfig, type Config } from '../../common/config';
import { createPool } from '../../db/pool';
import { startApp, type AppRuntime } from '../../scripts/app-runtime';
import { DEMO_ACCOUNTS, DEMO_PARTNERS } from '../../db/seed';
import { freePort } from './free-port';
import { createEncryption, type Encryption } from '../../common/crypto/data-converter';

export interface Harness {
  cfg: Config;
  app: AppRuntime;
  pool: Pool;
  temporal: Client;
  encryption: Encryption;
  url: string;
  token(email: string): Promise<string>;
  http(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
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
  const cfg = loadConfig({ ...process.env, PORT: String(await freePort()), TEMPORAL_TASK_QUEUE: `test-${crypto.randomUUID()}`, ...overrides });
  const services = { temporalAddress: process.env.TEMPORAL_ADDRESS!, databaseUrl: process.env.DATABASE_URL! };
  const app = await startApp(cfg, services, { bundlePath: process.env.AVRR_TEST_BUNDLE });
  const pool = createPool(services.databaseUrl, 5);
  const connection = await Connection.connect({ address: services.temporalAddress });
  // The tests' own client decodes like the app's: same codec, same key store.
  const encryption = createEncryption(pool, cfg);
  const temporal = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE, dataConverter: encryption.dataConverter });
  const tokens = new Map<string, string>();
  const password = (email: string) => DEMO_ACCOUNTS.find((a) => a.email === email)!.password;

  const http: Harness['http'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await fetch(app.url + path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body, headers: res.headers };
  };

  return {
    cfg,
    app,
    pool,
    temporal,
    encryption,
    url: app.url,
    http,
    async token(email) {
      if (!tokens.has(email)) {
        const r = await http('POST', '/api/v1/auth/login', { body: { email, password: password(email) } });
        if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status}`);
        tokens.set(email, r.body.token);
      }
      return tokens.get(email)!;
    },
    async stop() {
      await app.stop();
      await pool.end();
      await connection.close();
    },
  };
}

