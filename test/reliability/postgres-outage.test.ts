// Fault (c): stop PostgreSQL for 30 seconds while cases are in flight, then start it again on the same data folder
// and port. Activities fail and are retried (the case workflow's retry policy never gives up); API calls fail with
// 5xx and the client retries. Afterwards every case's read model equals its workflow's state (stage, seq, money),
// its events have no gap or double, and its audit chain verifies.
import { checkCases, checkWebhooks, log, runCasesWithFault, startFaultStack, type FaultStack } from './support/fault-stack';
import { sleep } from './support/drive';

const CASES = Number(process.env.RELIABILITY_CASES_PG ?? 50);
const DOWN_MS = Number(process.env.RELIABILITY_PG_DOWN_MS ?? 30_000);
let f: FaultStack;

beforeAll(async () => {
  f = await startFaultStack('postgres-outage');
}, 300_000);
afterAll(async () => f?.stop());

test(`stop Postgres for ${DOWN_MS / 1000} s with ${CASES} cases in flight: activities retry, projections equal workflows, audit verifies`, async () => {
  let health = { status: 0, body: undefined as unknown };
  const run = await runCasesWithFault(f, {
    cases: CASES,
    faultAfterSteps: Math.round(CASES * 6),
    giveUpMs: Number(process.env.RELIABILITY_GIVE_UP_MIN ?? 15) * 60_000,
    fault: async (steps) => {
      log(`stopping Postgres after ${steps} steps`);
      await f.stack.stopPostgres();
      const down = Date.now();
      await sleep(DOWN_MS / 2);
      const h = await f.api.http('GET', '/health');
      health = { status: h.status, body: h.body };
      await sleep(Math.max(0, DOWN_MS - (Date.now() - down)));
      await f.stack.startPostgres();
      log(`Postgres started again after ${((Date.now() - down) / 1000).toFixed(1)} s`);
    },
  });
  log(`run: ${run.caseIds.length} cases, ${run.stats.steps} steps, ${run.stats.retries} retries ${JSON.stringify(run.stats.byKind ?? {})}, ${run.seconds.toFixed(0)} s; /health while down: ${health.status} ${JSON.stringify(health.body)}`);
  expect(run.faultAtSteps).toBeGreaterThan(0);
  expect(health.status).toBe(503);
  expect(health.body).toMatchObject({ postgres: 'down' });
  // Nothing but the fault's target went down: the API (and, unless killed on purpose, the worker) is still the
  // same process, which did not crash on the way.
  expect(f.apiProcess.child.exitCode ?? f.apiProcess.child.signalCode).toBeNull();
  expect(f.worker.child.exitCode ?? f.worker.child.signalCode).toBeNull();
  expect(run.failures).toEqual([]);
  expect(run.caseIds).toHaveLength(CASES);

  // Activities did fail while Postgres was down, and were retried: their workflows show attempts > 1.
  const retried = await countRetriedActivities(f, run.caseIds);
  log(`activities that needed more than one attempt: ${retried}`);
  expect(retried).toBeGreaterThan(0);

  expect(await checkCases(f, run.caseIds)).toEqual([]);
  const hooks = await checkWebhooks(f, run.caseIds);
  log(`webhooks: ${hooks.delivered} delivered, ${hooks.repeats} repeated receipts`);
  expect(hooks.problems).toEqual([]);
});

/** Activities whose completion came on a later attempt (ActivityTaskStarted.attempt > 1), over the cases' histories. */
async function countRetriedActivities(f: FaultStack, caseIds: string[]): Promise<number> {
  let n = 0;
  for (const id of caseIds) {
    const history = await f.client.workflow.getHandle(id).fetchHistory();
    for (const e of history.events ?? []) if ((e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) n++;
  }
  return n;
}
