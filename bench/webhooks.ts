// Webhook delivery on localhost: throughput, and latency from an event's commit to its verified receipt, through
// the real path (recordTransition → outbox → dispatchWebhooks fan-out → delivery workflow → signed POST →
// a receiver verifying with the standardwebhooks library). Starts its own Temporal dev server and PostgreSQL.
//   npx tsx bench/webhooks.ts          (BENCH_CASES, BENCH_EVENTS_PER_CASE, BENCH_CONCURRENCY, BENCH_LATENCY_EVENTS)
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { z } from 'zod';
import { createWebhookActivities } from '../activities/webhooks';
import { recordTransition } from '../activities/record-transition';
import { createEndpoint } from '../activities/webhooks/endpoints';
import { fanOut, type FanoutDeps } from '../activities/webhooks/fanout';
import { loadWebhookSettings } from '../activities/webhooks/settings';
import { loadConfig } from '../common/config';
import { createPool } from '../db/pool';
import { createEncryption } from '../common/crypto/data-converter';
import type { KeyStore } from '../common/crypto/key-store';
import { startServices } from '../scripts/services';
import { WORKFLOWS_PATH, installWorkerRuntime } from '../worker/worker';
import { EVENT_TYPES } from '../workflows/domain/vocabulary';
import { freePort } from '../test/support/free-port';
import { WebhookReceiver } from '../test/support/webhook-receiver';

const Params = z.object({
  BENCH_CASES: z.coerce.number().int().positive().default(200),
  BENCH_EVENTS_PER_CASE: z.coerce.number().int().positive().default(10),
  BENCH_CONCURRENCY: z.coerce.number().int().positive().default(50),
  BENCH_LATENCY_EVENTS: z.coerce.number().int().positive().default(200),
});

async function main(): Promise<void> {
  const params = Params.parse(process.env);
  const dataDir = path.resolve(__dirname, '..', 'data', 'bench', String(process.pid));
  fs.mkdirSync(dataDir, { recursive: true });
  const cfg = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
  });
  installWorkerRuntime('error');
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  const services = await startServices(cfg, log, { persistent: false });
  const pool = createPool(services.databaseUrl, 30);
  const encryption = createEncryption(pool, cfg);
  const keys = encryption.keys;
  const connection = await Connection.connect({ address: services.temporalAddress });
  const client = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE, dataConverter: encryption.dataConverter });
  const nativeConnection = await NativeConnection.connect({ address: services.temporalAddress });
  const receiver = await new WebhookReceiver().start();
  const settings = loadWebhookSettings();
  const taskQueue = 'bench-webhooks';
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  try {
    log('bundling workflows');
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve(WORKFLOWS_PATH), logger: quiet });
    worker = await Worker.create({
      connection: nativeConnection,
      namespace: cfg.TEMPORAL_NAMESPACE,
      taskQueue,
      workflowBundle: { code },
      activities: createWebhookActivities({ pool, keys, settings }),
      dataConverter: encryption.dataConverter,
      maxConcurrentActivityTaskExecutions: 200,
    });
    running = worker.run();

    await pool.query(`INSERT INTO partners (partner_id, name, kind) VALUES ('bench', 'Bench partner', 'ngo') ON CONFLICT DO NOTHING`);
    const { secret } = await createEndpoint(pool, keys, {
      partnerId: 'bench',
      url: receiver.url,
      eventTypes: [...EVENT_TYPES],
      scope: { kind: 'assigned' },
    });
    receiver.secrets.push(secret);
    const deps: FanoutDeps = { pool, client, taskQueue, policy: settings.policy };
    const bench = new Bench(deps, keys, receiver);

    log('warm-up');
    await bench.run('warmup', 10, 2, 10);

    log(`latency at light load: ${params.BENCH_LATENCY_EVENTS} events, one at a time`);
    const light = await bench.run('light', Math.ceil(params.BENCH_LATENCY_EVENTS / 10), 10, 1);

    const total = params.BENCH_CASES * params.BENCH_EVENTS_PER_CASE;
    log(`throughput: ${total} events (${params.BENCH_CASES} cases x ${params.BENCH_EVENTS_PER_CASE}), ${params.BENCH_CONCURRENCY} cases at a time`);
    const load = await bench.run('load', params.BENCH_CASES, params.BENCH_EVENTS_PER_CASE, params.BENCH_CONCURRENCY);

    const attempts = await pool.query<{ latency_ms: number }>('SELECT latency_ms FROM webhook_attempts');
    const failures = await pool.query<{ error: string; n: number }>(
      'SELECT error, count(*)::int AS n FROM webhook_attempts WHERE error IS NOT NULL GROUP BY error ORDER BY n DESC',
    );
    const unverified = receiver.received.filter((r) => r.verifiedBy.length === 0).length;
    const lines = [
      `webhook delivery on localhost (${new Date().toISOString()}, node ${process.version})`,
      `light load, ${light.events} events one at a time: commit→receipt p50 ${pct(light.latency, 50)} ms, p99 ${pct(light.latency, 99)} ms, max ${pct(light.latency, 100)} ms; fan-out call p50 ${pct(light.fanout, 50)} ms, p99 ${pct(light.fanout, 99)} ms`,
      `load, ${load.events} events over ${load.cases} cases, ${params.BENCH_CONCURRENCY} concurrent: ${(load.events / (load.wallMs / 1000)).toFixed(0)} deliveries/s (${(load.wallMs / 1000).toFixed(1)} s), commit→receipt p50 ${pct(load.latency, 50)} ms, p99 ${pct(load.latency, 99)} ms, max ${pct(load.latency, 100)} ms; fan-out call p50 ${pct(load.fanout, 50)} ms, p99 ${pct(load.fanout, 99)} ms`,
      `HTTP attempt latency (all ${attempts.rowCount} attempts): p50 ${pct(attempts.rows.map((r) => r.latency_ms), 50)} ms, p99 ${pct(attempts.rows.map((r) => r.latency_ms), 99)} ms`,
      `failed attempts: ${failures.rows.map((f) => `${f.n} × ${f.error}`).join(', ') || 'none'}`,
      `order violations: ${bench.orderViolations}; unverified signatures: ${unverified}; duplicate receipts: ${receiver.received.length - new Set(receiver.received.map((r) => r.webhookId)).size}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await receiver.stop();
    await nativeConnection.close();
    await connection.close();
    await pool.end();
    await services.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Drives cases through the real write path and fan-out, like case workflows would: each case's events in order. */
export class Bench {
  orderViolations = 0;
  private lastSeqSeen = new Map<string, number>();

  constructor(
    private deps: FanoutDeps,
    private keys: KeyStore,
    private receiver: WebhookReceiver,
  ) {}

  async run(label: string, cases: number, eventsPerCase: number, concurrency: number) {
    const committed = new Map<string, number>();
    const fanout: number[] = [];
    const before = this.receiver.accepted.length;
    const started = Date.now();
    const caseIds = Array.from({ length: cases }, (_, i) => `bench-${label}-${process.pid}-${i}`);
    const oneAtATime = concurrency === 1;
    let next = 0;
    const lane = async () => {
      while (next < caseIds.length) {
        const caseId = caseIds[next++];
        for (let seq = 1; seq <= eventsPerCase; seq++) {
          await this.record(caseId, seq);
          committed.set(`${caseId}:${seq}`, Date.now());
          const t = performance.now();
          await fanOut(this.deps, { caseId, seq });
          fanout.push(performance.now() - t);
          if (oneAtATime) await this.receiver.waitFor((r) => r.accepted.length >= before + committed.size, 30_000, `${caseId}:${seq}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    const events = cases * eventsPerCase;
    await this.receiver.waitFor((r) => r.accepted.length >= before + events, 600_000, `${label}: ${events} deliveries`);
    const wallMs = Date.now() - started;
    const latency: number[] = [];
    for (const r of this.receiver.accepted.slice(before)) {
      const key = `${r.body.data.caseId}:${r.body.data.seq}`;
      latency.push(r.at - committed.get(key)!);
      const last = this.lastSeqSeen.get(r.body.data.caseId) ?? 0;
      if (r.body.data.seq !== last + 1) this.orderViolations++;
      this.lastSeqSeen.set(r.body.data.caseId, r.body.data.seq);
    }
    return { events, cases, wallMs, latency, fanout };
  }

  private async record(caseId: string, seq: number): Promise<void> {
    const at = new Date().toISOString();
    await recordTransition(this.deps.pool, this.keys, {
      caseId,
      events: [{ seq, at, type: seq === 1 ? 'case.opened' : 'case.action', stageBefore: 'intake', stageAfter: 'intake', data: { n: seq } }],
      projection: {
        caseId,
        programmeId: 'bench',
        country: 'SN',
        office: 'bench',
        stage: 'intake',
        partnerIds: ['bench'],
        openEscalations: 0,
        openedAt: at,
        lastSeq: seq,
        summary: {},
      },
      effects: [],
    });
  }
}

function pct(values: number[], p: number): string {
  if (!values.length) return '-';
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i].toFixed(0);
}

const noop = () => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => process.stderr.write(`${m}\n`), log: noop };

// Runnable on its own; bench/webhook-delivery.ts (npm run bench) reuses the Bench driver above.
if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
