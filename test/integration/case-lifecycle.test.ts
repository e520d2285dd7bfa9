// A return case from intake to closure and erasure, through the API, on the real servers:
// every main stage, money paid into Postgres exactly once, monitoring, closure and retention.
import { startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';

let h: Harness;
let j: Journey;
beforeAll(async () => {
  h = await startHarness();
  j = new Journey(h);
});
afterAll(async () => h?.stop());

test('intake to closure: every stage, tranches within budget, monitoring, then erasure after retention', async () => {
  const id = await j.open({ medicalNeed: true });
  const stages: string[] = [];
  let view = await j.get(id);
  stages.push(view.stage);
  for (const target of ['counselling', 'application', 'eligibility', 'admission', 'travel_document', 'medical', 'reintegration_plan', 'travel_booking', 'departure', 'post_arrival', 'reintegration'] as const) {
    view = await j.advance(id, target);
    stages.push(view.stage);
  }
  expect(stages).toEqual(['intake', 'counselling', 'application', 'eligibility', 'admission', 'travel_document', 'medical', 'reintegration_plan', 'travel_booking', 'departure', 'post_arrival', 'reintegration']);
  expect(view.placeReserved).toBe(true);

  // Reintegration: two tranche reports; the second would exceed the plan (1500) and is refused.
  view = await j.act(id, 'submit_tranche_report', 'partner', { amount: 1000, description: 'equipment for a tailoring shop' });
  const first = view.tranches[0].id;
  view = await j.act(id, 'approve_tranche', 'supervisor', { trancheId: first });
  const over = await j.try(id, 'submit_tranche_report', 'partner', { amount: 600, description: 'more stock' });
  expect(over.status).toBe(422);
  expect(over.body.reason).toBe('OVER_BUDGET');
  view = await j.act(id, 'submit_tranche_report', 'partner', { amount: 500, description: 'stock' });
  view = await j.act(id, 'approve_tranche', 'supervisor', { trancheId: view.tranches[1].id });
  expect(view.stage).toBe('monitoring');

  // Monitoring checkpoints fall due seconds after departure in the test programme.
  // A report before its checkpoint is due is refused; once due it is taken.
  const early = await j.try(id, 'submit_monitoring_report', 'partner', { checkpoint: 'PT10S', score: 70 });
  expect(early.status).toBe(409);
  expect(early.body.reason).toBe('NOT_DUE_YET');
  for (const checkpoint of ['PT5S', 'PT10S']) {
    const due = Date.parse(view.checkpoints.find((c: any) => c.offset === checkpoint).dueAt);
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now() + 50)));
    view = await j.act(id, 'submit_monitoring_report', 'partner', { checkpoint, score: 70 });
  }
  expect(view.stage).toBe('closure');
  view = await j.act(id, 'close_case', 'supervisor', { outcome: 'completed' });
  expect(view).toMatchObject({ stage: 'closed', outcome: 'completed' });
  expect(view.amounts.paid).toBeGreaterThan(0);

  // Money: every payment the workflow ordered is in Postgres exactly once.
  const pays = await h.pool.query('SELECT payment_id, amount FROM payments WHERE case_id = $1', [id]);
  const ordered = view.payments.filter((p: any) => p.status === 'paid');
  expect(pays.rows.map((r) => r.payment_id).sort()).toEqual(ordered.map((p: any) => p.id).sort());
  expect(pays.rows.reduce((a, r) => a + r.amount, 0)).toBe(view.amounts.paid);

  // Events are numbered without gaps, and the read model is at the last one.
  const ev = await h.pool.query('SELECT seq FROM case_events WHERE case_id = $1 ORDER BY seq', [id]);
  expect(ev.rows.map((r) => r.seq)).toEqual(ev.rows.map((_r, i) => i + 1));
  expect(view.seq).toBe(ev.rows.length);

  // Retention in the test programme is 10 seconds: the personal part disappears, the facts stay.
  const erased = await j.until(id, (v) => v.stage === 'erased', 40_000);
  expect(erased.outcome).toBe('completed');
  const row = await h.pool.query('SELECT personal FROM cases WHERE case_id = $1', [id]);
  expect(row.rows[0].personal).toBeNull();
  const wf = await h.temporal.workflow.getHandle(id).result();
  expect(wf.stage).toBe('erased');
  expect(wf.household.members).toEqual([]);
}, 120_000);

test('a step not allowed now answers 409 with the allowed actions, and changes nothing', async () => {
  const id = await j.open();
  const before = await j.get(id);
  const r = await j.try(id, 'approve_plan', 'supervisor');
  expect(r.status).toBe(409);
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  expect(r.body.reason).toBe('NOT_ALLOWED_NOW');
  expect(r.body.allowedActions).toEqual(expect.arrayContaining(['confirm_intake', 'withdraw']));
  const after = await j.get(id);
  expect(after.seq).toBe(before.seq);
});

test('a step by a role that may not take it is refused with 403 and changes nothing', async () => {
  const id = await j.open();
  await j.advance(id, 'reintegration_plan');
  const r = await j.try(id, 'submit_plan', 'supervisor', { kind: 'business', amount: 100 });
  expect(r.status).toBe(403);
  expect(r.body.reason).toBe('ROLE_NOT_ALLOWED');
  expect((await j.get(id)).stage).toBe('reintegration_plan');
});

test('each accepted step records its actor, role, time and reason in the timeline', async () => {
  const id = await j.open();
  const view = await j.act(id, 'confirm_intake', 'caseworker', undefined, 'referral checked with the SAI project');
  const last = view.timeline[view.timeline.length - 1];
  expect(last).toMatchObject({ action: 'confirm_intake', actor: { userId: 'u-caseworker', role: 'caseworker' }, stageBefore: 'intake', stageAfter: 'counselling' });
  expect(Date.parse(last.at)).toBeGreaterThan(Date.now() - 60_000);
  const audit = await h.pool.query(`SELECT actor_id, actor_role, reason FROM audit_log WHERE case_id = $1 AND action = 'confirm_intake'`, [id]);
  expect(audit.rows).toEqual([{ actor_id: 'u-caseworker', actor_role: 'caseworker', reason: 'referral checked with the SAI project' }]);
});
