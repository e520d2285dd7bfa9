// Fault (b): restart the Temporal dev server (persistent SQLite file) while cases are in flight. The worker and the
// API reconnect by themselves; every case resumes where it was and reaches closure, and agrees with its workflow.
import { checkCases, checkWebhooks, log, runCasesWithFault, startFaultStack, type FaultStack } from './support/fault-stack';
import { sleep } from './support/drive';

const CASES = Number(process.env.RELIABILITY_CASES_RESTART ?? 50);
const DOWN_MS = Number(process.env.RELIABILITY_TEMPORAL_DOWN_MS ?? 10_000);
let f: FaultStack;

beforeAll(async () => {
  f = await startFaultStack('temporal-restart');
}, 300_000);
afterAll(async () => f?.stop());

test(`restart the Temporal server mid-run with ${CASES} cases in flight: every case resumes and finishes`, async () => {
  let healthWhileDown = 0;
  const run = await runCasesWithFault(f, {
    cases: CASES,
    faultAfterSteps: Math.round(CASES * 6),
    giveUpMs: Number(process.env.RELIABILITY_GIVE_UP_MIN ?? 15) * 60_000,
    fault: async (steps) => {
      log(`stopping the Temporal dev server after ${steps} steps`);
      await f.stack.stopTemporal('SIGTERM');
      await sleep(DOWN_MS / 2);
      healthWhileDown = (await f.api.http('GET', '/health')).status;
      await sleep(DOWN_MS / 2);
      await f.stack.startTemporal();
      log('Temporal dev server started again on the same port and file');
    },
  });
  log(`run: ${run.caseIds.length} cases, ${run.stats.steps} steps, ${run.stats.retries} retries ${JSON.stringify(run.stats.byKind ?? {})}, ${run.seconds.toFixed(0)} s; /health while down: ${healthWhileDown}; last problems: ${run.stats.problems.slice(-2).join(' | ')}`);
  expect(run.faultAtSteps).toBeGreaterThan(0);
  // The API said Temporal was down while it was (503), rather than hanging or claiming all was well.
  expect(healthWhileDown).toBe(503);
  // Nothing but the fault's target went down: the API (and, unless killed on purpose, the worker) is still the
  // same process, which did not crash on the way.
  expect(f.apiProcess.child.exitCode ?? f.apiProcess.child.signalCode).toBeNull();
  expect(f.worker.child.exitCode ?? f.worker.child.signalCode).toBeNull();
  expect(run.failures).toEqual([]);
  expect(run.caseIds).toHaveLength(CASES);
  expect(await checkCases(f, run.caseIds)).toEqual([]);
  const hooks = await checkWebhooks(f, run.caseIds);
  log(`webhooks: ${hooks.delivered} delivered, ${hooks.repeats} repeated receipts`);
  expect(hooks.problems).toEqual([]);
});
