// Fault (e): the API process is killed (kill -9) while a client's POST /cases is in flight, and started again; the
// client retries the same POST with the same Idempotency-Key until it gets an answer. Exactly one case exists per
// key — in the read model, in the idempotency table and in Temporal — whatever moment the kill fell on.
import { singleAdult } from '../support/cases';
import { log, startFaultStack, uniqueKey, PROGRAMME, type FaultStack } from './support/fault-stack';
import { sleep } from './support/drive';

const ROUNDS = Number(process.env.RELIABILITY_API_ROUNDS ?? 12);
let f: FaultStack;

beforeAll(async () => {
  f = await startFaultStack('api-restart');
}, 300_000);
afterAll(async () => f?.stop());

test(`API killed mid-POST ${ROUNDS} times: each Idempotency-Key makes exactly one case`, async () => {
  const token = await f.api.credential('caseworker');
  const outcomes: { key: string; caseId: string; firstStatus: number; attempts: number; delayMs: number; claimed: boolean }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const key = uniqueKey();
    const body = singleAdult({ programmeId: PROGRAMME, partnerIds: [] });
    const post = () => f.api.http('POST', '/api/v1/cases', { token, body, headers: { 'idempotency-key': key } });
    // Kill at moments spread over the request's life: before it arrives, while the workflow starts, while the
    // API waits for the projection, and after it answered.
    const delayMs = Math.round((round / Math.max(1, ROUNDS - 1)) * 400);
    const first = post();
    await sleep(delayMs);
    await f.apiProcess.kill();
    const firstAnswer = await first;
    // Was the key already claimed when the process died without answering? (The kill fell mid-request.)
    const claimed = (await f.pool.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).rowCount === 1;
    await f.restartApi();
    let attempts = 1;
    let caseId = firstAnswer.status === 201 ? firstAnswer.body.caseId : undefined;
    // The client retries until it has an answer; a retry after a 201 must return the same case too.
    for (;;) {
      attempts++;
      const r = await post();
      if (r.status === 201) {
        if (caseId && caseId !== r.body.caseId) throw new Error(`key ${key}: first ${caseId}, retry ${r.body.caseId}`);
        caseId = r.body.caseId;
        break;
      }
      if (attempts > 40) throw new Error(`key ${key}: no 201 after ${attempts} attempts (last ${r.status} ${JSON.stringify(r.body)})`);
      await sleep(500);
    }
    outcomes.push({ key, caseId: caseId!, firstStatus: firstAnswer.status, attempts, delayMs, claimed });
  }
  log(`rounds (kill delay → first answer / attempts): ${outcomes.map((o) => `${o.delayMs}ms→${o.firstStatus || (o.claimed ? 'cut after claim' : 'cut')}/${o.attempts}`).join(', ')}`);
  // Some kills cut a request in flight (not only before or after it): the interesting case.
  expect(outcomes.some((o) => o.firstStatus !== 201)).toBe(true);

  const keys = outcomes.map((o) => o.key);
  const idem = await f.pool.query<{ key: string; case_id: string }>('SELECT key, case_id FROM idempotency_keys WHERE key = ANY($1)', [keys]);
  expect(idem.rows).toHaveLength(ROUNDS);
  for (const o of outcomes) expect(idem.rows.find((r) => r.key === o.key)?.case_id).toBe(o.caseId);
  const cases = await f.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
  expect(cases.rows[0].n).toBe(ROUNDS);
  expect(new Set(outcomes.map((o) => o.caseId)).size).toBe(ROUNDS);
  const workflows = await f.client.workflow.count(`WorkflowType = 'caseWorkflow'`);
  expect(workflows.count).toBe(ROUNDS);
});
