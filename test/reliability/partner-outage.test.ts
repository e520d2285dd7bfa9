// Fault (d): a partner's endpoint is down for a minute and a half (the production retry schedule stretches over
// three days; here WEBHOOK_* shortens it to 1 s doubling to at most 10 s). Cases keep moving meanwhile. When the
// endpoint is back, deliveries resume: every event arrives, per case in order, none dead-lettered, each under
// one webhook ID.
import { checkWebhooks, log, runCasesWithFault, startFaultStack, type FaultStack } from './support/fault-stack';
import { sleep } from './support/drive';

const CASES = Number(process.env.RELIABILITY_CASES_PARTNER ?? 20);
const DOWN_MS = Number(process.env.RELIABILITY_PARTNER_DOWN_MS ?? 90_000);
let f: FaultStack;

beforeAll(async () => {
  f = await startFaultStack('partner-outage', { WEBHOOK_INITIAL_INTERVAL: '1000', WEBHOOK_MAX_INTERVAL: '10000', WEBHOOK_REQUEST_TIMEOUT: '5000' });
}, 300_000);
afterAll(async () => f?.stop());

test(`partner endpoint down for ${DOWN_MS / 1000} s: deliveries resume in order, none lost`, async () => {
  let upAgainAt = 0;
  let receivedBeforeUp = 0;
  const run = await runCasesWithFault(f, {
    cases: CASES,
    faultAfterSteps: CASES * 2,
    giveUpMs: Number(process.env.RELIABILITY_GIVE_UP_MIN ?? 15) * 60_000,
    fault: async (steps) => {
      log(`partner endpoint goes down after ${steps} steps`);
      await f.receiver.stop();
      await sleep(DOWN_MS);
      receivedBeforeUp = f.receiver.received.length;
      await f.receiver.start();
      upAgainAt = Date.now();
      log('partner endpoint is back on the same port');
    },
  });
  expect(run.failures).toEqual([]);
  const failedWhileDown = await f.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_attempts WHERE error IS NOT NULL`);
  log(`run: ${run.caseIds.length} cases, ${run.stats.steps} steps in ${run.seconds.toFixed(0)} s; failed attempts while down: ${failedWhileDown.rows[0].n}`);
  // The endpoint really was down while events were produced, and delivery was tried and failed meanwhile.
  expect(failedWhileDown.rows[0].n).toBeGreaterThan(0);

  const hooks = await checkWebhooks(f, run.caseIds, 240_000);
  const firstAfter = f.receiver.received.slice(receivedBeforeUp)[0]?.at ?? 0;
  log(`webhooks: ${hooks.delivered} delivered, ${hooks.repeats} repeated receipts; first delivery ${((firstAfter - upAgainAt) / 1000).toFixed(1)} s after the endpoint came back`);
  expect(hooks.problems).toEqual([]);
  // Deliveries resumed within the longest retry interval (10 s) plus slack for a loaded machine.
  expect(firstAfter - upAgainAt).toBeLessThan(30_000);
});
