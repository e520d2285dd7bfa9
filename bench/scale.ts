// (f) Scale: many open cases waiting on timers a month or more away, on one machine. Cases are started with
// client.workflow.start in batches (the API path is measured in start-case.ts), exactly as the API starts them
// (same arguments, codec and search attributes), on the calm test programme (stage deadlines P30D, follow-ups
// P3M/P6M). Reports the time to create them, the worker's RSS (a process of its own, read from /proc) and the
// dev server's SQLite size at 10 % / 50 % / 100 % of the count, and whether a deadline still fires on time at
// that size (a probe case on the fast programme, intake deadline PT5S, at each milestone).
//   npx tsx bench/scale.ts     BENCH_SCALE_CASES (default 100000), BENCH_SCALE_CONCURRENCY (64),
//                              BENCH_SCALE_BACKLOG (2000 started-but-not-yet-recorded at most),
//                              BENCH_SCALE_TUNING (JSON worker tuning; default below)
//                              BENCH_SCALE_RESUME_DIR (the data folder of an interrupted run: go on from its cases;
//                              its data is kept)
import fs from 'node:fs';
import path from 'node:path';
import { loadProgrammes } from '../common/programmes';
import { caseWorkflow } from '../workflows/case/workflow';
import * as sa from '../workflows/search-attributes';
import { singleAdult } from '../test/support/cases';
import { procCpuSeconds, procMemory } from '../test/reliability/support/stack';
import { benchStack, envInt, log, runBench, sleep } from './lib/harness';
import { Report, RESULTS_DIR } from './lib/report';
import { SCALE_TUNING } from './lib/tuning';

interface Milestone {
  cases: number;
  elapsedS: number;
  segmentPerS: number;
  overallPerS: number;
  workerRssMiB: number;
  workerPeakRssMiB: number;
  workerHwmMiB: number;
  /** CPU milliseconds per case created in this segment: the worker process, the dev server. */
  workerCpuMsPerCase: number;
  temporalCpuMsPerCase: number;
  temporalDbMiB: number;
  postgresDbMiB: number;
  probe?: Probe;
  loadAvg1: number;
}

interface Probe {
  dueAt: string;
  /** When the workflow's timer task ran (the escalation event's time) minus the deadline. */
  firedLateMs: number;
  /** When the escalation was visible in the read model minus the deadline. */
  visibleLateMs: number;
}

runBench(async () => {
  const total = envInt('BENCH_SCALE_CASES', 100_000);
  const concurrency = envInt('BENCH_SCALE_CONCURRENCY', 64);
  const backlog = envInt('BENCH_SCALE_BACKLOG', 2000);
  const tuning = process.env.BENCH_SCALE_TUNING ? JSON.parse(process.env.BENCH_SCALE_TUNING) : SCALE_TUNING;
  const milestones = [...new Set([Math.round(total * 0.1), Math.round(total * 0.5), total])].filter((m) => m > 0);
  const report = new Report(`scale-${total}`, `(f) Scale: ${total} open cases waiting on timers`, `BENCH_SCALE_CASES=${total} npx tsx bench/scale.ts`, { total, concurrency, backlog, tuning, milestones });
  const resumeDir = process.env.BENCH_SCALE_RESUME_DIR || undefined;
  const b = await benchStack('scale', { persistent: true, resumeDir });
  const stopMemory: { stop?: () => void } = {};
  try {
    const programmes = loadProgrammes(b.stack.cfg.PROGRAMMES_DIR);
    const calm = programmes.get('test-calm')!;
    const fast = programmes.get('test-fast')!;
    const worker = await b.stack.spawnApp({ api: false, tuning });
    log(`worker pid ${worker.pid}, tuning ${JSON.stringify(tuning)}; starting ${total} cases`);
    let peakRss = 0;
    const samples: { t: number; cases: number; rssMiB: number }[] = [];
    const countRecorded = async () => Number((await b.pool.query<{ n: string }>(`SELECT count(*) AS n FROM cases WHERE programme_id = 'test-calm'`)).rows[0].n);
    // A resumed run goes on from the cases the interrupted one started (a repeated start of one of them is a no-op).
    const resumedFrom = resumeDir ? (await b.client.workflow.count(`WorkflowType = 'caseWorkflow'`)).count : 0;
    let recorded = resumeDir ? await countRecorded() : 0;
    if (resumeDir) {
      report.result.params.resumedFrom = { started: resumedFrom, recorded };
      log(`resuming ${resumeDir}: ${resumedFrom} cases started before, ${recorded} recorded`);
    }
    const t0 = Date.now();
    const timer = setInterval(() => {
      const m = procMemory(worker.pid);
      peakRss = Math.max(peakRss, m.rssMiB);
      samples.push({ t: Math.round((Date.now() - t0) / 1000), cases: recorded, rssMiB: Math.round(m.rssMiB) });
    }, 2000);
    stopMemory.stop = () => clearInterval(timer);

    const start = (caseId: string, programme = calm) =>
      b.client.workflow.start(caseWorkflow, {
        workflowId: caseId,
        taskQueue: b.stack.cfg.TEMPORAL_TASK_QUEUE,
        args: [{ caseId, input: singleAdult({ programmeId: programme.id, partnerIds: [] }), programme, openedBy: { userId: 'u-bench', role: 'caseworker' }, openedAt: new Date().toISOString() }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: [
          { key: sa.CaseStage, value: 'intake' },
          { key: sa.ProgrammeId, value: programme.id },
          { key: sa.CountryOfReturn, value: 'SN' },
          { key: sa.Office, value: 'roma' },
        ],
      });
    const pgMiB = async () => Number((await b.pool.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n')).rows[0].n) / 2 ** 20;

    const probe = async (label: string): Promise<Probe> => {
      const caseId = `probe-${label}`;
      await start(caseId, fast);
      let due: string | undefined;
      for (;;) {
        const r = await b.pool.query<{ next_deadline: Date | null; open_escalations: number }>('SELECT next_deadline, open_escalations FROM cases WHERE case_id = $1', [caseId]);
        if (r.rows[0]?.next_deadline && !due) due = r.rows[0].next_deadline.toISOString();
        if (r.rows[0]?.open_escalations > 0) break;
        await sleep(50);
      }
      const seen = Date.now();
      const ev = await b.pool.query<{ occurred_at: Date; data: { dueAt: string } }>(`SELECT occurred_at, data FROM case_events WHERE case_id = $1 AND type = 'case.escalated' ORDER BY seq LIMIT 1`, [caseId]);
      const dueAt = ev.rows[0].data.dueAt ?? due!;
      return { dueAt, firedLateMs: ev.rows[0].occurred_at.getTime() - Date.parse(dueAt), visibleLateMs: seen - Date.parse(dueAt) };
    };

    const results: Milestone[] = [];
    let next = Math.max(0, resumedFrom - 100);
    let lastMilestoneAt = t0;
    let lastMilestoneCases = recorded;
    let lastCpu = { worker: worker.cpuSeconds(), temporal: procCpuSeconds(b.stack.temporalPid!) };
    const errors: string[] = [];
    for (const milestone of milestones.filter((m) => m > recorded)) {
      // Start up to the milestone, keeping at most `backlog` cases started but not yet recorded.
      const lane = async () => {
        while (next < milestone) {
          if (next - recorded > backlog) {
            await sleep(200);
            continue;
          }
          const i = next++;
          try {
            await start(`scale-${String(i).padStart(7, '0')}`);
          } catch (err) {
            errors.push((err as Error).message);
            if (errors.length > 100) throw new Error(`too many start errors: ${errors.slice(-3).join('; ')}`);
          }
        }
      };
      const poller = (async () => {
        let lastLog = 0;
        while (recorded < milestone) {
          recorded = await countRecorded();
          if (Date.now() - lastLog > 30_000) {
            lastLog = Date.now();
            const el = (Date.now() - t0) / 1000;
            log(`${recorded} recorded, ${next} started, ${(recorded / el).toFixed(1)}/s, worker RSS ${procMemory(worker.pid).rssMiB.toFixed(0)} MiB, temporal db ${(b.stack.temporalDbBytes() / 2 ** 20).toFixed(0)} MiB`);
          }
          await sleep(500);
        }
      })();
      await Promise.all([...Array.from({ length: concurrency }, lane), poller]);
      const now = Date.now();
      const mem = procMemory(worker.pid);
      const cpu = { worker: worker.cpuSeconds(), temporal: procCpuSeconds(b.stack.temporalPid!) };
      const segmentCases = Math.max(1, recorded - lastMilestoneCases);
      const m: Milestone = {
        cases: recorded,
        elapsedS: (now - t0) / 1000,
        segmentPerS: ((recorded - lastMilestoneCases) / (now - lastMilestoneAt)) * 1000,
        overallPerS: ((recorded - (resumeDir ? (report.result.params.resumedFrom as { recorded: number }).recorded : 0)) / (now - t0)) * 1000,
        workerRssMiB: mem.rssMiB,
        workerPeakRssMiB: Math.max(peakRss, mem.rssMiB),
        workerHwmMiB: mem.hwmMiB,
        workerCpuMsPerCase: ((cpu.worker - lastCpu.worker) * 1000) / segmentCases,
        temporalCpuMsPerCase: ((cpu.temporal - lastCpu.temporal) * 1000) / segmentCases,
        temporalDbMiB: b.stack.temporalDbBytes() / 2 ** 20,
        postgresDbMiB: await pgMiB(),
        loadAvg1: Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      };
      log(`milestone ${milestone}: ${JSON.stringify(m)}; probing a PT5S deadline`);
      m.probe = await probe(String(milestone));
      log(`probe: ${JSON.stringify(m.probe)}`);
      results.push(m);
      lastMilestoneAt = Date.now();
      lastMilestoneCases = recorded;
      lastCpu = { worker: worker.cpuSeconds(), temporal: procCpuSeconds(b.stack.temporalPid!) };
      // Partial results survive an interrupted long run.
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      fs.writeFileSync(path.join(RESULTS_DIR, `scale-${total}.partial.json`), `${JSON.stringify({ ...report.result, details: { milestones: results, samples } }, null, 2)}\n`);
    }
    clearInterval(timer);

    for (const m of results) {
      report.row({ metric: `create ${m.cases} cases: elapsed`, unit: 's', project: m.elapsedS, note: undefined });
      report.row({ metric: `  rate (segment / overall) at ${m.cases}`, unit: 'cases/s', project: m.segmentPerS, baseline: m.overallPerS, ratioOf: 'baseline column = overall rate' });
      report.row({ metric: `  worker RSS now / peak so far at ${m.cases}`, unit: 'MiB', project: m.workerRssMiB, baseline: m.workerPeakRssMiB, ratioOf: 'baseline column = peak' });
      report.row({ metric: `  CPU per case, worker / dev server, segment to ${m.cases}`, unit: 'ms', project: m.workerCpuMsPerCase, baseline: m.temporalCpuMsPerCase, ratioOf: 'baseline column = dev server' });
      report.row({ metric: `  Temporal SQLite at ${m.cases}`, unit: 'MiB', project: m.temporalDbMiB });
      report.row({ metric: `  Postgres database at ${m.cases}`, unit: 'MiB', project: m.postgresDbMiB });
      if (m.probe) report.row({ metric: `  PT5S deadline at ${m.cases}: fired late / visible late`, unit: 'ms', project: m.probe.firedLateMs, baseline: m.probe.visibleLateMs, ratioOf: 'baseline column = visible in read model' });
    }
    const first = results[0];
    const last = results[results.length - 1];
    // Flat means: once the sticky cache is full (500 cases by default), more open cases add no worker memory.
    // The 10 % milestone can be below the cache size, so flatness is judged from the 50 % one.
    const half = results.length > 2 ? results[results.length - 2] : first;
    if (first && last && half && results.length > 1) {
      const growth = last.workerPeakRssMiB / half.workerPeakRssMiB;
      report.row({ metric: `worker peak RSS growth ${half.cases} → ${last.cases}`, unit: '×', project: growth, target: '≈ 1 (flat)', met: growth < 1.25 });
      report.row({ metric: `worker RSS now, ${half.cases} → ${last.cases}`, unit: '×', project: last.workerRssMiB / half.workerRssMiB });
      const perCaseKiB = ((last.temporalDbMiB - first.temporalDbMiB) / (last.cases - first.cases)) * 1024;
      report.row({ metric: 'Temporal SQLite per open case', unit: 'KiB', project: perCaseKiB });
      report.row({ metric: 'Postgres per open case', unit: 'KiB', project: ((last.postgresDbMiB - first.postgresDbMiB) / (last.cases - first.cases)) * 1024 });
    }
    if (errors.length) report.note(`${errors.length} start errors (retried by not counting): ${errors.slice(0, 3).join('; ')}`);
    report.note('Cases wait at intake on their P30D deadline timer (follow-ups P3M/P6M); the worker runs in its own process and also hosts the webhook worker, as in production.');
    report.finish({ milestones: results, samples, errors: errors.slice(0, 20) });
  } catch (err) {
    stopMemory.stop?.();
    report.fail(err);
  } finally {
    await b.stop();
  }
});
