// Fault (a): kill -9 the worker while 100 cases are in flight, then start a new one. Every case must still reach
// closure, and nothing may be recorded twice: events numbered without gaps or doubles, each payment once, each
// event sent to the partner under one webhook ID, the read model equal to the workflow, every audit chain intact.
import { checkCases, checkWebhooks, log, runCasesWithFault, startFaultStack, type FaultStack } from './support/fault-stack';
import { sleep } from './support/drive';

const CASES = Number(process.env.RELIABILITY_CASES ?? 100);
let f: FaultStack;

beforeAll(async () => {
  f = await startFaultStack('worker-crash');
}, 300_000);
afterAll(async () => f?.stop());

test(`SIGKILL the worker mid-run with ${CASES} cases in flight: every case finishes, nothing doubles`, async () => {
  let killedAt = 0;
  const run = await runCasesWithFault(f, {
    cases: CASES,
    // About a third of the way through the cases' ~17 steps.
    faultAfterSteps: Math.round(CASES * 6),
    giveUpMs: Number(process.env.RELIABILITY_GIVE_UP_MIN ?? 15) * 60_000,
    fault: async (steps) => {
      log(`kill -9 worker pid ${f.worker.pid} after ${steps} steps`);
      killedAt = Date.now();
      await f.worker.kill();
      await sleep(3000);
      await f.restartWorker();
      log(`new worker pid ${f.worker.pid} after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
    },
  });
  log(`run: ${run.caseIds.length} cases, ${run.stats.steps} steps, ${run.stats.retries} retries ${JSON.stringify(run.stats.byKind ?? {})}, fault at step ${run.faultAtSteps}, ${run.seconds.toFixed(0)} s`);
  expect(run.faultAtSteps).toBeGreaterThan(0);
  // Nothing but the fault's target went down: the API (and, unless killed on purpose, the worker) is still the
  // same process, which did not crash on the way.
  expect(f.apiProcess.child.exitCode ?? f.apiProcess.child.signalCode).toBeNull();
  expect(f.worker.child.exitCode ?? f.worker.child.signalCode).toBeNull();
  expect(run.failures).toEqual([]);
  expect(run.caseIds).toHaveLength(CASES);

  const problems = await checkCases(f, run.caseIds);
  expect(problems).toEqual([]);
  const hooks = await checkWebhooks(f, run.caseIds);
  log(`webhooks: ${hooks.delivered} delivered, ${hooks.repeats} repeated receipts of an already received webhook ID`);
  expect(hooks.problems).toEqual([]);
  // Doubles are impossible by key in Postgres; say so explicitly anyway.
  const doubles = await f.pool.query(
    `SELECT (SELECT count(*) - count(DISTINCT (case_id, seq)) FROM case_events WHERE case_id = ANY($1))::int AS events,
            (SELECT count(*) - count(DISTINCT (case_id, payment_id)) FROM payments WHERE case_id = ANY($1))::int AS payments,
            (SELECT count(*) - count(DISTINCT (endpoint_id, case_id, seq)) FROM webhook_deliveries WHERE case_id = ANY($1))::int AS deliveries`,
    [run.caseIds],
  );
  expect(doubles.rows[0]).toEqual({ events: 0, payments: 0, deliveries: 0 });
});
