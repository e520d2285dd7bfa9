// Shared plumbing of the benchmarks: a stack of their own (dev server + embedded Postgres on free ports, data under
// data/bench/<pid>-<name>), the baseline worker's bundle, a small HTTP client for the API, and a load loop.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createEncryption, type Encryption } from '../../common/crypto/data-converter';
import { createPool } from '../../db/pool';
import { DEMO_ACCOUNTS } from '../../db/seed';
import { Stack, quietLogger, REPO_ROOT } from '../../test/reliability/support/stack';
import type { Harness } from '../../test/support/harness';

export const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

export interface BenchStack {
  stack: Stack;
  pool: Pool;
  encryption: Encryption;
  /** A client with the app's codec (decodes case state). */
  client: Client;
  connection: Connection;
  stop(): Promise<void>;
}

/** Starts a stack for one benchmark; stop() tears everything down and removes its data. */
export async function benchStack(name: string, opts: { env?: Record<string, string>; dynamicConfig?: Record<string, unknown>; persistent?: boolean; resumeDir?: string } = {}): Promise<BenchStack> {
  const dataDir = opts.resumeDir ? path.resolve(opts.resumeDir) : path.join(REPO_ROOT, 'data', 'bench', `${process.pid}-${name}`);
  // In-memory SQLite for the dev server, like the test suite, unless a benchmark needs the file (scale) or
  // BENCH_PERSISTENT=1 asks for it everywhere.
  const persistent = opts.persistent ?? process.env.BENCH_PERSISTENT === '1';
  const stack = new Stack({ dataDir, env: { LOG_LEVEL: 'error', ...opts.env }, dynamicConfig: opts.dynamicConfig, persistent, reuseData: Boolean(opts.resumeDir), keepData: process.env.BENCH_KEEP_DATA === '1' || Boolean(opts.resumeDir), log });
  const stopOnSignal = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    await stack.start();
    log('bundling the case workflows');
    await stack.bundle();
  } catch (err) {
    await stack.stop();
    throw err;
  }
  const pool = createPool(stack.databaseUrl, 20);
  const encryption = createEncryption(pool, stack.cfg);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: stack.cfg.TEMPORAL_NAMESPACE, dataConverter: encryption.dataConverter });
  return {
    stack, pool, encryption, client, connection,
    async stop() {
      await connection.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await stack.stop();
    },
  };
}

/** The bare baseline workflows (bench/baseline-workflows.ts), bundled apart from the app's. */
export async function bundleBaseline(dataDir: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../baseline-workflows'), logger: quietLogger });
  const file = path.join(dataDir, 'baseline-bundle.js');
  fs.writeFileSync(file, code);
  return file;
}

export interface HttpAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  ms: number;
  /** Length of the response body (characters). */
  bytes: number;
}

/** A minimal API client with the test harness's http()/token() shape, so test/support/journey.ts drives it. */
export class ApiClient {
  private tokens = new Map<string, string>();
  constructor(public url: string) {}

  async http(method: string, p: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const t = performance.now();
    const res = await fetch(this.url + p, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    const ms = performance.now() - t;
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* keep text */
    }
    return { status: res.status, body, ms, bytes: text.length };
  }

  async token(email: string): Promise<string> {
    if (!this.tokens.has(email)) {
      const account = DEMO_ACCOUNTS.find((a) => a.email === email);
      const r = await this.http('POST', '/api/v1/auth/login', { body: { email, password: account?.password } });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      this.tokens.set(email, r.body.token);
    }
    return this.tokens.get(email)!;
  }

  /** Quacks like the test Harness for Journey (only http and token are used). */
  asHarness(): Harness {
    return { http: this.http.bind(this), token: this.token.bind(this) } as unknown as Harness;
  }
}

/**
 * Runs `op` from `concurrency` lanes until `total` operations are done (or `durationMs` has passed); returns each
 * operation's latency, the wall time and the errors. One lane = one client that waits for its answer.
 */
export async function load(opts: { concurrency: number; total?: number; durationMs?: number }, op: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = opts.durationMs === undefined ? Infinity : started + opts.durationMs;
  const lane = async () => {
    for (;;) {
      if (opts.total !== undefined && next >= opts.total) return;
      if (performance.now() >= deadline) return;
      const i = next++;
      const t = performance.now();
      try {
        await op(i);
        latencies.push(performance.now() - t);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, lane));
  const wallMs = performance.now() - started;
  return { latencies, errors, wallMs, perSecond: (latencies.length / wallMs) * 1000 };
}

export function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a benchmark's main: any failure is reported, never thrown, and the exit code is 0 (benchmarks never fail a build). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(0);
    },
  );
}
