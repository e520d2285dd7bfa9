// (a) Starting a case through the API (auth, zod validation, idempotency and duplicate checks, workflow start, and
// the answer only once the projection row is written) against a bare client.workflow.start of an empty workflow,
// on the same servers, with the same number of concurrent clients. The app (API + worker) and the baseline worker
// each run in a process of their own; the load comes from this process.
//   npx tsx bench/start-case.ts     BENCH_START_CONCURRENCY (32), BENCH_START_SECONDS (15 per round), BENCH_ROUNDS (2)
import { Client, Connection } from '@temporalio/client';
import { singleAdult } from '../test/support/cases';
import { EMAIL } from '../test/support/harness';
import { ApiClient, benchStack, bundleBaseline, envInt, load, log, runBench } from './lib/harness';
import { Report, summarize } from './lib/report';
import { procCpuSeconds } from '../test/reliability/support/stack';
import { APP_TUNING } from './lib/tuning';
import { emptyWorkflow } from './baseline-workflows';

runBench(async () => {
  const concurrency = envInt('BENCH_START_CONCURRENCY', 32);
  const seconds = envInt('BENCH_START_SECONDS', 15);
  const rounds = envInt('BENCH_ROUNDS', 2);
  const report = new Report('start-case', '(a) Start a case: POST /api/v1/cases vs bare client.workflow.start', 'npx tsx bench/start-case.ts', { concurrency, seconds, rounds, tuning: APP_TUNING });
  const b = await benchStack('start-case');
  try {
    const baselineBundle = await bundleBaseline(b.stack.dataDir);
    const app = await b.stack.spawnApp({ tuning: APP_TUNING });
    const baselineQueue = 'bench-baseline';
    const baselineWorker = await b.stack.spawnProcess(require.resolve('./baseline-worker'), { BASELINE_BUNDLE: baselineBundle, BASELINE_TASK_QUEUE: baselineQueue, WORKER_TUNING: JSON.stringify(APP_TUNING) });
    // The bare side: a plain client, no codec, no interceptors.
    const bareConnection = await Connection.connect({ address: b.stack.temporalAddress });
    const bare = new Client({ connection: bareConnection, namespace: b.stack.cfg.TEMPORAL_NAMESPACE });
    const api = new ApiClient(app.url);
    const token = await api.token(EMAIL.caseworker);

    let n = 0;
    const project = async () => {
      const r = await api.http('POST', '/api/v1/cases', { token, body: singleAdult({ programmeId: 'test-calm', partnerIds: [] }) });
      if (r.status !== 201) throw new Error(`POST /cases ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    };
    const baseline = async () => {
      await bare.workflow.start(emptyWorkflow, { taskQueue: baselineQueue, workflowId: `empty-${process.pid}-${n++}` });
    };
    const baselineToEnd = async () => {
      const h = await bare.workflow.start(emptyWorkflow, { taskQueue: baselineQueue, workflowId: `empty-${process.pid}-${n++}` });
      await h.result();
    };

    log('warm-up');
    await load({ concurrency: 8, total: 64 }, project);
    await load({ concurrency: 8, total: 64 }, baseline);
    await load({ concurrency: 8, total: 64 }, baselineToEnd);

    // Work a side leaves behind (started workflows not yet run, outbox rows not yet dispatched) must not run on the
    // next side's time: each phase waits for it to drain, and that wait is counted in the side's sustained rate.
    const drained = {
      project: async () => Number((await b.pool.query<{ n: string }>('SELECT count(*) AS n FROM webhook_outbox WHERE dispatched_at IS NULL')).rows[0].n) === 0,
      baseline: async () => (await bare.workflow.count(`WorkflowType = 'emptyWorkflow' AND ExecutionStatus = 'Running'`)).count === 0,
    };
    const drain = async (side: 'project' | 'baseline') => {
      const t = performance.now();
      while (!(await drained[side]())) {
        if (performance.now() - t > 600_000) throw new Error(`${side} did not drain in 10 minutes`);
        await new Promise((r) => setTimeout(r, 250));
      }
      return performance.now() - t;
    };
    await drain('project');
    await drain('baseline');
    type Run = Awaited<ReturnType<typeof load>> & { drainMs: number; sustained: number; cpuMsPerStart: Record<string, number> };
    // CPU each process spent per answered start, phase and drain included: where the difference comes from.
    const cpu = () => ({ temporal: procCpuSeconds(b.stack.temporalPid!), app: app.cpuSeconds(), baselineWorker: baselineWorker.cpuSeconds(), loadGenerator: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 });
    const runs = { project: [] as Run[], baseline: [] as Run[], toEnd: [] as Run[] };
    for (let round = 1; round <= rounds; round++) {
      // Interleaved rounds: a shared machine's load changes over minutes; each side gets its share of it.
      for (const [side, op] of [['project', project], ['baseline', baseline], ['toEnd', baselineToEnd]] as const) {
        log(`round ${round}: ${side}, ${concurrency} concurrent clients for ${seconds} s`);
        const c0 = cpu();
        const r = await load({ concurrency, durationMs: seconds * 1000 }, op);
        const drainMs = await drain(side === 'project' ? 'project' : 'baseline');
        const sustained = (r.latencies.length / (r.wallMs + drainMs)) * 1000;
        const c1 = cpu();
        const cpuMsPerStart = Object.fromEntries(Object.keys(c0).map((k) => [k, ((c1[k as keyof typeof c1] - c0[k as keyof typeof c0]) * 1000) / Math.max(1, r.latencies.length)]));
        log(`  ${r.perSecond.toFixed(1)}/s answered, ${sustained.toFixed(1)}/s sustained (drained in ${(drainMs / 1000).toFixed(1)} s), ${r.errors.length} errors${r.errors.length ? `: ${r.errors[0]}` : ''}`);
        runs[side].push({ ...r, drainMs, sustained, cpuMsPerStart });
      }
    }
    const rate = (rs: Run[]) => summarize(rs.map((r) => r.perSecond)).median;
    const sustained = (rs: Run[]) => summarize(rs.map((r) => r.sustained)).median;
    const lat = (rs: typeof runs.project) => summarize(rs.flatMap((r) => r.latencies));
    const p = lat(runs.project);
    const bl = lat(runs.baseline);
    const te = lat(runs.toEnd);
    report.throughput(`throughput, ${concurrency} concurrent clients`, 'starts/s', rate(runs.project), rate(runs.baseline), 0.7, 'median over rounds');
    report.latencyRatio('latency median', p.median, bl.median);
    report.latencyRatio('latency p99', p.p99, bl.p99);
    report.throughput('sustained throughput (started work drained)', 'starts/s', sustained(runs.project), sustained(runs.baseline), undefined, 'answered starts ÷ (phase + time until the started work had run: bare workflows completed, case outbox dispatched)');
    report.throughput('throughput vs bare start + wait for result', 'starts/s', rate(runs.project), rate(runs.toEnd), undefined, 'informative: the bare workflow run to completion, as the API waits for its case to be recorded');
    report.latencyRatio('latency median vs bare start + result', p.median, te.median);
    const cpuOf = (rs: Run[], k: string) => summarize(rs.map((r) => r.cpuMsPerStart[k])).median;
    for (const k of ['temporal', 'app', 'baselineWorker', 'loadGenerator']) {
      report.row({ metric: `CPU per start: ${k === 'app' ? 'app (API + worker)' : k === 'baselineWorker' ? 'baseline worker' : k === 'temporal' ? 'Temporal dev server' : 'load generator (this process)'}`, unit: 'ms', project: cpuOf(runs.project, k), baseline: cpuOf(runs.baseline, k) });
    }
    const errors = runs.project.concat(runs.baseline, runs.toEnd).flatMap((r) => r.errors);
    report.row({ metric: 'errors (all sides)', unit: '', project: runs.project.flatMap((r) => r.errors).length, baseline: runs.baseline.flatMap((r) => r.errors).length });
    report.note('Project = HTTP POST /api/v1/cases (bearer JWT, zod, idempotency + duplicate-referral checks, workflow start with search attributes and the encryption codec, the first read-model row written by the API itself, as the worker would write it). Baseline = client.workflow.start of an empty workflow (returns once the server persisted the start).');
    report.finish({ rounds: Object.fromEntries(Object.entries(runs).map(([k, rs]) => [k, rs.map((r) => ({ perSecond: r.perSecond, sustained: r.sustained, drainMs: r.drainMs, cpuMsPerStart: r.cpuMsPerStart, n: r.latencies.length, errors: r.errors.length, latency: summarize(r.latencies) }))])), errors: errors.slice(0, 10) });
    await bareConnection.close();
  } catch (err) {
    report.fail(err);
  } finally {
    await b.stop();
  }
});
