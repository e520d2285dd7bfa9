// (d) Full lifecycle throughput: N cases from intake to closure through the API, as the right person for each step,
// on the fast test programme (deadlines and monitoring checkpoints in seconds, so real timers fire and the two
// monitoring reports must wait 5 s and 10 s after departure) — against N bare workflows (bench/baseline-workflows.ts
// lifecycleBaseline) driven with client updates, with the same count of updates and activities per case and the
// same timer pattern, measured from the project's own histories, and the same waits for the checkpoints.
//   npx tsx bench/lifecycle.ts     BENCH_LIFECYCLE_CASES (40), BENCH_LIFECYCLE_CONCURRENCY (= cases)
import { Client, Connection } from '@temporalio/client';
import { Api, driveToClosure, openCase, type DriveStats } from '../test/reliability/support/drive';
import { benchStack, bundleBaseline, envInt, load, log, runBench, sleep } from './lib/harness';
import { Report, summarize } from './lib/report';
import { APP_TUNING } from './lib/tuning';
import { closeUpdate, lifecycleBaseline, stepUpdate } from './baseline-workflows';

interface Counts {
  updates: number;
  activities: number;
  activitiesBeforeFirstUpdate: number;
  timersStarted: number;
  timersFired: number;
  workflowTasks: number;
  events: number;
}

runBench(async () => {
  const cases = envInt('BENCH_LIFECYCLE_CASES', 40);
  const concurrency = envInt('BENCH_LIFECYCLE_CONCURRENCY', cases);
  const report = new Report('lifecycle', `(d) Lifecycle: ${cases} cases intake → closure vs a bare workflow with the same updates, activities and timers`, 'npx tsx bench/lifecycle.ts', { cases, concurrency, tuning: APP_TUNING });
  const b = await benchStack('lifecycle');
  try {
    const baselineBundle = await bundleBaseline(b.stack.dataDir);
    const app = await b.stack.spawnApp({ tuning: APP_TUNING });
    const baselineQueue = 'bench-baseline';
    await b.stack.spawnProcess(require.resolve('./baseline-worker'), { BASELINE_BUNDLE: baselineBundle, BASELINE_TASK_QUEUE: baselineQueue, WORKER_TUNING: JSON.stringify(APP_TUNING) });
    const bareConnection = await Connection.connect({ address: b.stack.temporalAddress });
    const bare = new Client({ connection: bareConnection, namespace: b.stack.cfg.TEMPORAL_NAMESPACE });
    const api = new Api(app.url, 120_000);

    // The project: each lane opens a case and takes it to closure.
    log(`project: ${cases} cases, ${concurrency} at a time`);
    const stats: DriveStats = { steps: 0, retries: 0, problems: [], stepMs: [] };
    const ids: string[] = [];
    const actions: string[][] = [];
    const project = await load({ concurrency, total: cases }, async () => {
      const id = await openCase(api, { programmeId: 'test-fast' });
      ids.push(id);
      const seen: string[] = [];
      const view = await driveToClosure(api, id, { giveUpAt: Date.now() + 600_000, stats, onStep: (v) => void seen.push(v.timeline?.[v.timeline.length - 1]?.action ?? '?') });
      if (view.stage !== 'closed') throw new Error(`case ${id} ended at ${view.stage}`);
      actions.push(seen);
    });
    if (project.errors.length) throw new Error(`project lifecycle failed: ${project.errors[0]}`);
    const projectCounts = await countAll(b.client, ids.slice(0, 10));
    log(`project: ${project.perSecond * 60} cases/min; per case ${JSON.stringify(projectCounts)}`);

    // The baseline: the same number of updates and activities, the same waits for the two checkpoints.
    const plan = actions[0];
    const updates = plan.length;
    const open = Math.round(projectCounts.activitiesBeforeFirstUpdate);
    const perUpdate = distribute(Math.round(projectCounts.activities) - open, updates);
    log(`baseline: ${cases} workflows, ${updates} updates, ${open} + [${perUpdate.join(',')}] activities each`);
    let n = 0;
    const baseIds: string[] = [];
    const stepMs: number[] = [];
    const baseline = await load({ concurrency, total: cases }, async () => {
      const id = `lifecycle-${process.pid}-${n++}`;
      baseIds.push(id);
      const h = await bare.workflow.start(lifecycleBaseline, { taskQueue: baselineQueue, workflowId: id, args: [{ openActivities: open, timerMs: 5000 }] });
      let departedAt = 0;
      let report = 0;
      for (let i = 0; i < updates; i++) {
        if (plan[i] === 'submit_monitoring_report') {
          // The project waits for checkpoint PT5S, then PT10S, after departure (+50 ms, as the driver does).
          const due = departedAt + (report++ === 0 ? 5000 : 10000) + 50;
          await sleep(Math.max(0, due - Date.now()));
        }
        const t = performance.now();
        await h.executeUpdate(i === updates - 1 ? closeUpdate : stepUpdate, { args: [perUpdate[i]] });
        stepMs.push(performance.now() - t);
        if (plan[i] === 'confirm_departure') departedAt = Date.now();
      }
    });
    if (baseline.errors.length) throw new Error(`baseline lifecycle failed: ${baseline.errors[0]}`);
    const baseCounts = await countAll(bare, baseIds.slice(0, 10));

    report.throughput(`throughput, ${concurrency} cases at a time`, 'cases/min', project.perSecond * 60, baseline.perSecond * 60, 0.6);
    const pc = summarize(project.latencies);
    const bc = summarize(baseline.latencies);
    report.latencyRatio('one case intake → closure: median', pc.median, bc.median);
    report.latencyRatio('one case intake → closure: p99', pc.p99, bc.p99);
    const ps = summarize(stats.stepMs);
    const bs = summarize(stepMs);
    report.latencyRatio('one step (HTTP action vs bare update): median', ps.median, bs.median);
    report.latencyRatio('one step: p99', ps.p99, bs.p99);
    for (const k of ['updates', 'activities', 'timersStarted', 'timersFired', 'workflowTasks', 'events'] as const) {
      report.row({ metric: `per case: ${k} (from histories)`, unit: '', project: projectCounts[k], baseline: baseCounts[k] });
    }
    report.row({ metric: 'driver retries (non-200 answers)', unit: '', project: stats.retries });
    report.note(`Project steps per case: ${plan.join(' → ')}.`);
    report.note('The project\'s counts include the timers that fired as deadlines passed under load (escalations, reminders) and the activities they recorded; the baseline re-arms one 5 s timer after every change, as the case workflow does with its deadlines.');
    report.finish({ projectCounts, baseCounts, plan, perUpdate, open, problems: stats.problems });
    await bareConnection.close();
  } catch (err) {
    report.fail(err);
  } finally {
    await b.stop();
  }
});

/** Spreads `total` over `n` slots as evenly as whole numbers allow. */
function distribute(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

/** Average counts of the histories of these workflows (every run, following continue-as-new). */
async function countAll(client: Client, ids: string[]): Promise<Counts> {
  const all = await Promise.all(ids.map((id) => count(client, id)));
  const avg = (k: keyof Counts) => all.reduce((a, c) => a + c[k], 0) / all.length;
  return {
    updates: avg('updates'), activities: avg('activities'), activitiesBeforeFirstUpdate: avg('activitiesBeforeFirstUpdate'),
    timersStarted: avg('timersStarted'), timersFired: avg('timersFired'), workflowTasks: avg('workflowTasks'), events: avg('events'),
  };
}

async function count(client: Client, id: string): Promise<Counts> {
  const c: Counts = { updates: 0, activities: 0, activitiesBeforeFirstUpdate: 0, timersStarted: 0, timersFired: 0, workflowTasks: 0, events: 0 };
  let runId: string | undefined;
  for (let guard = 0; guard < 20; guard++) {
    const history = await client.workflow.getHandle(id, runId).fetchHistory();
    let next: string | undefined;
    for (const e of history.events ?? []) {
      c.events++;
      if (e.workflowExecutionUpdateAcceptedEventAttributes) c.updates++;
      if (e.activityTaskScheduledEventAttributes) {
        c.activities++;
        if (c.updates === 0) c.activitiesBeforeFirstUpdate++;
      }
      if (e.timerStartedEventAttributes) c.timersStarted++;
      if (e.timerFiredEventAttributes) c.timersFired++;
      if (e.workflowTaskCompletedEventAttributes) c.workflowTasks++;
      next = e.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? next;
    }
    if (!next) break;
    runId = next;
  }
  return c;
}
