// Observability as an operator meets it: the app started through scripts/app-runtime.ts on the production
// workflow bundle (npm run build:bundle) runs cases, and /metrics then shows the case figures, the HTTP
// latencies by route and the Temporal SDK's own metrics; with tracing on, one trace runs from the HTTP request
// through the workflow into its activities, and log lines name it.
import crypto from 'node:crypto';
import path from 'node:path';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { loadConfig, type Config } from '../../common/config';
import { FIXTURE_HISTORIES_DIR, readHistoryFiles } from '../../common/history-json';
import { traceFields } from '../../common/logger';
import { initTracing, noTracing } from '../../common/tracing';
import { createEncryption } from '../../common/crypto/data-converter';
import { createPool } from '../../db/pool';
import { startApp, type AppRuntime } from '../../scripts/app-runtime';
import { buildBundle } from '../../scripts/build-bundle';
import { tracingOptions } from '../../worker/options';
import { replayRuns } from '../../worker/replay';
import { Journey } from '../support/journey';
import { freePort } from '../support/free-port';
import { remoteHarness } from '../support/http-client';

const TOKEN = 'scrape-secret-0123456789';
const exporter = new InMemorySpanExporter();
let bundle: { path: string; sha256: string };
let cfg: Config;
let app: AppRuntime;
let journey: Journey;
const pool = createPool(process.env.DATABASE_URL!, 2);

beforeAll(async () => {
  bundle = await buildBundle(path.join(process.env.DATA_DIR!, `bundle-${crypto.randomUUID().slice(0, 8)}`, 'workflow-bundle.js'));
  cfg = loadConfig({
    ...process.env,
    PORT: String(await freePort()),
    TEMPORAL_TASK_QUEUE: `metrics-${crypto.randomUUID()}`,
    WORKFLOW_BUNDLE_PATH: bundle.path,
    METRICS_TOKEN: TOKEN,
    OTEL_ENABLED: 'true',
  });
  app = await startApp(cfg, { temporalAddress: process.env.TEMPORAL_ADDRESS!, databaseUrl: process.env.DATABASE_URL! }, { tracing: initTracing(cfg, { exporter }) });
  journey = new Journey(remoteHarness(app.url));
});

afterAll(async () => {
  await app?.stop();
  await pool.end();
});

async function scrape(token: string | null = TOKEN): Promise<{ status: number; text: string }> {
  const res = await fetch(`${app.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text() };
}

/** The value of one sample, e.g. sample(text, 'avrr_cases_by_stage', { stage: 'counselling' }). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('the worker runs the pre-built production bundle, and says so', async () => {
  const { text } = await scrape();
  expect(sample(text, 'avrr_worker_info', { task_queue: cfg.TEMPORAL_TASK_QUEUE, workflow_code: `bundle:${bundle.sha256.slice(0, 12)}` })).toBe(1);
});

test('/metrics wants the METRICS_TOKEN', async () => {
  expect((await scrape(null)).status).toBe(401);
  expect((await scrape('wrong')).status).toBe(401);
  expect((await scrape()).status).toBe(200);
});

test('after cases ran, /metrics shows cases by stage, HTTP latency by route and the SDK metrics', async () => {
  for (let i = 0; i < 2; i++) await journey.advance(await journey.open(), 'counselling');
  expect((await fetch(`${app.url}/api/v1/cases/no-such-case`, { headers: { authorization: `Bearer ${await journey.credential('supervisor')}` } })).status).toBe(404);

  const { text } = await scrape();
  const { rows } = await pool.query("SELECT count(*)::int AS n FROM cases WHERE stage = 'counselling' AND programme_id = 'test-fast'");
  expect(rows[0].n).toBeGreaterThanOrEqual(2);
  expect(sample(text, 'avrr_cases_by_stage', { stage: 'counselling', programme: 'test-fast' })).toBe(rows[0].n);
  expect(text).toMatch(/^avrr_metrics_database_up 1$/m);

  expect(sample(text, 'avrr_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/cases', status: '201' })).toBeGreaterThanOrEqual(2);
  expect(sample(text, 'avrr_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/cases/:id/actions/confirm_intake', status: '200' })).toBeGreaterThanOrEqual(2);
  // An error answer keeps the route pattern, never the ID that was asked for.
  expect(sample(text, 'avrr_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/cases/:id', status: '404' })).toBe(1);
  expect(text).not.toContain('no-such-case');

  // The SDK's own metrics (Core's Prometheus exporter), passed through on the same endpoint.
  expect(text).toMatch(/^temporal_local_activity_execution_latency_count\{[^}]*activity_type="commitTransition"/m);
  expect(text).toMatch(/^temporal_workflow_task_execution_latency_count\{[^}]*workflow_type="caseWorkflow"/m);
  expect(text).toMatch(/^avrr_temporal_sdk_metrics_up 1$/m);
});

test('webhook attempts and dead letters are counted from the delivery tables', async () => {
  const before = await scrape();
  const count = (text: string, result: string) => sample(text, 'avrr_webhook_attempts_total', { result }) ?? 0;
  // A partner of this test alone, with a disabled endpoint, so no other test's deliveries can be touched.
  const id = `metrics-${crypto.randomUUID().slice(0, 8)}`;
  await pool.query(`INSERT INTO partners (partner_id, name, kind) VALUES ($1, 'Metrics test', 'ngo')`, [id]);
  await pool.query(`INSERT INTO webhook_endpoints (endpoint_id, partner_id, url, event_types, scope_kind, enabled) VALUES ($1, $1, 'https://example.invalid/hook', '{}', 'assigned', false)`, [id]);
  await pool.query(`INSERT INTO webhook_deliveries (delivery_id, endpoint_id, partner_id, case_id, seq, event_type, status) VALUES ($1, $1, $1, $1, 1, 'case.opened', 'dead')`, [id]);
  await pool.query(
    `INSERT INTO webhook_attempts (delivery_id, attempt_no, attempted_at, status_code, latency_ms, error)
     VALUES ($1, 1, now(), 503, 12, NULL), ($1, 2, now(), NULL, 10000, 'timeout'), ($1, 3, now(), 204, 15, NULL)`,
    [id],
  );
  await pool.query(`INSERT INTO webhook_dead_letters (delivery_id, reason) VALUES ($1, 'retries exhausted')`, [id]);

  const after = await scrape();
  expect(count(after.text, 'success') - count(before.text, 'success')).toBe(1);
  expect(count(after.text, 'failure') - count(before.text, 'failure')).toBe(2);
  const open = (text: string) => Number(/^avrr_webhook_dead_letters_open (\d+)$/m.exec(text)?.[1]);
  expect(open(after.text) - open(before.text)).toBe(1);
});

test('one trace runs from the HTTP request through the workflow into its activity', async () => {
  exporter.reset();
  const caseId = await journey.open();
  await journey.act(caseId, 'confirm_intake', 'caseworker');
  const spans = exporter.getFinishedSpans();
  const request = spans.find((s) => s.name === 'POST /api/v1/cases')!;
  expect(request).toBeDefined();
  const inTrace = spans.filter((s) => s.spanContext().traceId === request.spanContext().traceId).map((s) => s.name);
  expect(inTrace).toEqual(expect.arrayContaining(['StartWorkflow:caseWorkflow', 'StartActivity:commitTransition', 'RunActivity:commitTransition']));
  // The step is its own request, with its own trace into the update handler.
  const step = spans.find((s) => s.name === 'POST /api/v1/cases/:id/actions/confirm_intake')!;
  const stepTrace = spans.filter((s) => s.spanContext().traceId === step.spanContext().traceId).map((s) => s.name);
  expect(stepTrace).toEqual(expect.arrayContaining(['StartWorkflowUpdate:caseAction', 'HandleUpdate:caseAction']));
});

test('a case recorded on the production bundle replays on the sources without the tracing interceptors', async () => {
  // The replay tools bundle the sources (worker/replay.ts): tracing must not be what makes them diverge.
  const caseId = await journey.open();
  await journey.advance(caseId, 'application');
  const encryption = createEncryption(pool, cfg);
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  try {
    const client = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE, dataConverter: encryption.dataConverter });
    const history = await client.workflow.getHandle(caseId).fetchHistory();
    const verdict = await replayRuns({ codePath: process.env.AVRR_TEST_BUNDLE! }, caseId, [{ history }], encryption.dataConverter);
    expect(verdict).toEqual({ verdict: 'identical' });
  } finally {
    await connection.close();
  }
});

test('log lines inside a span carry its trace and span IDs', () => {
  expect(traceFields()).toEqual({});
  trace.getTracer('test').startActiveSpan('work', (span) => {
    expect(traceFields()).toEqual({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    span.end();
  });
});

test('the production bundle replays the committed histories, recorded without tracing interceptors', async () => {
  const histories = readHistoryFiles(FIXTURE_HISTORIES_DIR);
  expect(histories.length).toBeGreaterThan(0);
  // The sink the bundle's interceptors export to; a worker always registers it (worker/options.ts).
  const { sinks } = tracingOptions(noTracing(), false);
  const failed: string[] = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: bundle.path }, sinks }, histories)) {
    if (r.error) failed.push(`${r.workflowId}: ${r.error.message}`);
  }
  expect(failed).toEqual([]);
});
