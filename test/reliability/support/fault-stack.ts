// The setting every fault test starts from: its own stack (test/reliability/support/stack.ts: a persistent Temporal
// dev server, an embedded PostgreSQL, the worker and the API each in a child process), a partner endpoint for
// `iom-dakar` pointing at a verifying webhook receiver in the test process, and the checks run once the fault is
// over: every case agrees with its workflow, its events are numbered without gaps, its money is recorded once, its
// audit chain verifies, and its partner got every event once per webhook ID, in order.
import crypto from 'node:crypto';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { createEncryption, type Encryption } from '../../../common/crypto/data-converter';
import { createPool } from '../../../db/pool';
import { verifyCase } from '../../../db/verify-audit';
import { createEndpoint } from '../../../activities/webhooks/endpoints';
import { WebhookEventType } from '../../../activities/webhooks/event-types';
import { caseStateQuery } from '../../../workflows/case/messages';
import { WebhookReceiver } from '../../support/webhook-receiver';
import { Api, driveToClosure, openCase, type DriveStats } from './drive';
import { REPO_ROOT, Stack, type AppProcess } from './stack';

export const PROGRAMME = 'rel-fast';

/** Webhook retries short enough that a recovered endpoint is delivered to within seconds. */
export const FAST_WEBHOOK_ENV = {
  WEBHOOK_INITIAL_INTERVAL: '500',
  WEBHOOK_MAX_INTERVAL: '5000',
  WEBHOOK_REQUEST_TIMEOUT: '5000',
};

export interface FaultStack {
  stack: Stack;
  worker: AppProcess;
  apiProcess: AppProcess;
  api: Api;
  apiPort: number;
  pool: Pool;
  client: Client;
  encryption: Encryption;
  receiver: WebhookReceiver;
  /** Starts a new worker process after the old one died (or was stopped). */
  restartWorker(): Promise<void>;
  /** Starts a new API process on the same port. */
  restartApi(): Promise<void>;
  stop(): Promise<void>;
}

export const log = (m: string) => process.stderr.write(`[reliability ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

export async function startFaultStack(name: string, env: Record<string, string> = {}): Promise<FaultStack> {
  const stack = new Stack({
    dataDir: path.join(REPO_ROOT, 'data', 'test', `reliability-${process.pid}-${name}`),
    env: {
      LOG_LEVEL: 'warn',
      PROGRAMMES_DIR: path.join(REPO_ROOT, 'test', 'reliability', 'programmes'),
      TEMPORAL_TASK_QUEUE: `rel-${name}`,
      ...FAST_WEBHOOK_ENV,
      ...env,
    },
    persistent: true,
    log,
  });
  try {
    await stack.start();
    await stack.bundle();
    const worker = await stack.spawnApp({ api: false });
    const apiProcess = await stack.spawnApp({ worker: false });
    const apiPort = Number(new URL(apiProcess.url).port);
    const pool = createPool(stack.databaseUrl, 5);
    // The test's own pool must survive a Postgres restart: an idle client losing its server is dropped.
    const encryption = createEncryption(pool, stack.cfg);
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection, namespace: stack.cfg.TEMPORAL_NAMESPACE, dataConverter: encryption.dataConverter });
    const receiver = await new WebhookReceiver().start();
    const { secret } = await createEndpoint(pool, encryption.keys, { partnerId: 'iom-dakar', url: receiver.url, eventTypes: [...WebhookEventType.options], scope: { kind: 'assigned' } });
    receiver.secrets.push(secret);
    const fs: FaultStack = {
      stack, worker, apiProcess, apiPort, pool, client, encryption, receiver,
      api: new Api(apiProcess.url, 60_000),
      async restartWorker() {
        fs.worker = await stack.spawnApp({ api: false });
      },
      async restartApi() {
        fs.apiProcess = await stack.spawnApp({ worker: false, port: apiPort });
      },
      async stop() {
        await receiver.stop().catch(() => undefined);
        await connection.close().catch(() => undefined);
        await pool.end().catch(() => undefined);
        await stack.stop();
      },
    };
    return fs;
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

export interface CaseProblem {
  caseId: string;
  problem: string;
}

/**
 * For every case: the read model (GET /cases/{id}) equals the workflow's own state (query) in stage, seq and money;
 * events are numbered 1..seq with no gap or double; payments in Postgres are exactly the paid payments of the state;
 * the audit chain verifies. Returns the problems found (none is the goal).
 */
export async function checkCases(f: FaultStack, caseIds: string[]): Promise<CaseProblem[]> {
  const problems: CaseProblem[] = [];
  const say = (caseId: string, problem: string) => problems.push({ caseId, problem });
  for (const caseId of caseIds) {
    const r = await f.api.get(caseId);
    if (r.status !== 200) {
      say(caseId, `GET ${r.status}`);
      continue;
    }
    const view = r.body;
    const state = await f.client.workflow.getHandle(caseId).query(caseStateQuery);
    if (view.stage !== state.stage) say(caseId, `stage: read model ${view.stage}, workflow ${state.stage}`);
    if (view.seq !== state.seq) say(caseId, `seq: read model ${view.seq}, workflow ${state.seq}`);
    if (!isDeepStrictEqual(view.amounts, state.amounts)) say(caseId, `amounts: read model ${JSON.stringify(view.amounts)}, workflow ${JSON.stringify(state.amounts)}`);
    const events = await f.pool.query<{ seq: number }>('SELECT seq FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
    const seqs = events.rows.map((e) => e.seq);
    if (seqs.length !== state.seq || seqs.some((s, i) => s !== i + 1)) say(caseId, `events: ${seqs.length} rows (${seqs.slice(0, 3).join(',')}…${seqs.slice(-2).join(',')}) for seq ${state.seq}`);
    const pays = await f.pool.query<{ payment_id: string; amount: number }>('SELECT payment_id, amount FROM payments WHERE case_id = $1 ORDER BY payment_id', [caseId]);
    const paid = state.payments.filter((p) => p.status === 'paid').map((p) => p.id).sort();
    if (JSON.stringify(pays.rows.map((p) => p.payment_id)) !== JSON.stringify(paid)) say(caseId, `payments: Postgres ${pays.rows.map((p) => p.payment_id).join(',')}, workflow ${paid.join(',')}`);
    const total = pays.rows.reduce((a, p) => a + Number(p.amount), 0);
    if (total !== state.amounts.paid) say(caseId, `paid: Postgres ${total}, workflow ${state.amounts.paid}`);
    const audit = await verifyCase(f.pool, caseId);
    if (!audit.ok) say(caseId, `audit chain: ${JSON.stringify(audit.breaks[0])}`);
  }
  return problems;
}

/**
 * Waits until the partner has received every recorded event of these cases, then checks: one webhook ID per event
 * (a retry after a crash re-sends the same ID, never a new one), first receipts in event order per case, nothing
 * dead-lettered. Returns the problems and the count of repeated receipts (at-least-once: the same ID again).
 */
export async function checkWebhooks(f: FaultStack, caseIds: string[], timeoutMs = 180_000): Promise<{ problems: CaseProblem[]; repeats: number; delivered: number }> {
  const expected = async () => {
    const { rows } = await f.pool.query<{ case_id: string; seq: number }>('SELECT case_id, seq FROM case_events WHERE case_id = ANY($1) ORDER BY case_id, seq', [caseIds]);
    return rows;
  };
  const deadline = Date.now() + timeoutMs;
  let want = await expected();
  for (;;) {
    const got = new Set(f.receiver.accepted.map((r) => `${r.body.data.caseId}:${r.body.data.seq}`));
    const missing = want.filter((e) => !got.has(`${e.case_id}:${e.seq}`));
    if (!missing.length) break;
    if (Date.now() > deadline) {
      return { problems: missing.slice(0, 20).map((m) => ({ caseId: m.case_id, problem: `event ${m.seq} never delivered` })), repeats: 0, delivered: got.size };
    }
    await new Promise((r) => setTimeout(r, 1000));
    want = await expected();
  }
  const problems: CaseProblem[] = [];
  const idsPerEvent = new Map<string, Set<string>>();
  const firstReceipt = new Map<string, number[]>();
  const seenIds = new Set<string>();
  let repeats = 0;
  for (const r of f.receiver.accepted) {
    const key = `${r.body.data.caseId}:${r.body.data.seq}`;
    if (!idsPerEvent.has(key)) idsPerEvent.set(key, new Set());
    idsPerEvent.get(key)!.add(r.webhookId);
    if (seenIds.has(r.webhookId)) {
      repeats++;
      continue;
    }
    seenIds.add(r.webhookId);
    const order = firstReceipt.get(r.body.data.caseId) ?? [];
    order.push(r.body.data.seq);
    firstReceipt.set(r.body.data.caseId, order);
  }
  for (const [key, ids] of idsPerEvent) if (ids.size !== 1) problems.push({ caseId: key.split(':')[0], problem: `event ${key} arrived under ${ids.size} webhook IDs` });
  for (const caseId of caseIds) {
    const order = firstReceipt.get(caseId) ?? [];
    if (order.some((s, i) => i > 0 && s < order[i - 1])) problems.push({ caseId, problem: `out of order: ${order.join(',')}` });
  }
  const dead = await f.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_dead_letters d JOIN webhook_deliveries w USING (delivery_id) WHERE w.case_id = ANY($1)', [caseIds]);
  if (dead.rows[0].n) problems.push({ caseId: '*', problem: `${dead.rows[0].n} dead letters` });
  const unverified = f.receiver.received.filter((r) => !r.verifiedBy.length).length;
  if (unverified) problems.push({ caseId: '*', problem: `${unverified} deliveries failed signature verification` });
  return { problems, repeats, delivered: seenIds.size };
}

export function uniqueKey(): string {
  return crypto.randomUUID();
}

export interface RunResult {
  caseIds: string[];
  stats: DriveStats;
  /** Cases that did not reach closure, with the reason. */
  failures: CaseProblem[];
  faultAtSteps: number;
  seconds: number;
}

/**
 * Opens `cases` cases at once and takes each to closure through the API; when `faultAfterSteps` steps have been
 * accepted in all, runs `fault` (while the cases keep going, retrying whatever fails). Bounded by `giveUpMs`.
 */
export async function runCasesWithFault(f: FaultStack, opts: { cases: number; faultAfterSteps: number; fault: (atSteps: number) => Promise<void>; giveUpMs: number }): Promise<RunResult> {
  const started = Date.now();
  const giveUpAt = started + opts.giveUpMs;
  const stats: DriveStats = { steps: 0, retries: 0, problems: [], stepMs: [] };
  const caseIds: string[] = [];
  const failures: CaseProblem[] = [];
  let faultAtSteps = -1;
  let faultDone: Promise<void> | undefined;
  const maybeFault = () => {
    if (!faultDone && stats.steps >= opts.faultAfterSteps) {
      faultAtSteps = stats.steps;
      faultDone = opts.fault(stats.steps);
    }
  };
  await Promise.all(Array.from({ length: opts.cases }, async (_, i) => {
    let caseId = `(case ${i} not opened)`;
    try {
      caseId = await openCase(f.api, { programmeId: PROGRAMME }, { giveUpAt, key: `rel-${i}-${uniqueKey()}` });
      caseIds.push(caseId);
      const view = await driveToClosure(f.api, caseId, { giveUpAt, stats, onStep: maybeFault });
      if (view.stage !== 'closed') failures.push({ caseId, problem: `ended at ${view.stage}` });
    } catch (err) {
      failures.push({ caseId, problem: (err as Error).message });
    }
  }));
  await faultDone;
  return { caseIds, stats, failures, faultAtSteps, seconds: (Date.now() - started) / 1000 };
}
