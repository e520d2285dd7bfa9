// Cooperation projects on the real servers: a project from proposal to closure, returnees enrolled from
// their approved plans within the project's slots (a withdrawal frees one, a race for the last one has one
// winner), a missed report escalating, a tranche above the budget refused, and the committed fixture
// histories replaying on the current workflow code.
import { Worker } from '@temporalio/worker';
import { FIXTURE_HISTORIES_DIR, readHistoryFiles } from '../../common/history-json';
import { projectStateQuery } from '../../workflows/cooperation/messages';
import { EMAIL, PARTNER_KEY, startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';
import { projectBody, Projects } from '../support/projects';

let h: Harness;
let j: Journey;
let projects: Projects;
beforeAll(async () => {
  h = await startHarness();
  j = new Journey(h);
  projects = new Projects(h, j);
});
afterAll(async () => h?.stop());

const events = async (id: string) =>
  (await h.pool.query<{ seq: number; type: string }>('SELECT seq, type FROM case_events WHERE case_id = $1 ORDER BY seq', [id])).rows;

test('a project from proposal to closure: steps, tranche, report, evaluation; audit chain, outbox and scope hold', async () => {
  const id = await projects.open();
  expect(id).toMatch(/^coop-/);
  expect((await projects.get(id)).stage).toBe('proposal');
  await projects.toImplementation(id);
  await projects.act(id, 'submit_periodic_report', 'partner', { report: 1 });
  await projects.act(id, 'submit_milestone_report', 'partner', { milestone: 'workshop equipped', amount: 60_000 });
  const released = await projects.act(id, 'approve_tranche', 'supervisor', { trancheId: 't1' });
  expect(released).toMatchObject({ released: 60_000, funds: { budget: 100_000, released: 60_000, available: 40_000 } });
  await projects.act(id, 'start_final_evaluation', 'caseworker');
  await projects.act(id, 'submit_final_evaluation', 'partner', { score: 75 });
  const closed = await projects.act(id, 'close_project', 'supervisor');
  expect(closed).toMatchObject({ stage: 'closed', outcome: 'completed', evaluation: { score: 75 }, pendingActions: [] });
  expect((await h.temporal.workflow.getHandle(id).result()).stage).toBe('closed');

  // Every event is numbered without gaps, in the audit chain (which verifies) and in the partner's outbox.
  const log = await events(id);
  expect(log.map((e) => e.seq)).toEqual(log.map((_e, i) => i + 1));
  expect(log.map((e) => e.type)).toEqual(expect.arrayContaining(['project.opened', 'project.tranche_released', 'project.closed']));
  const verified = await h.http('GET', `/api/v1/audit/verify?caseId=${id}`, { token: await h.token(EMAIL.auditor) });
  expect(verified.body).toMatchObject({ ok: true, entriesChecked: log.length });
  const outbox = await h.pool.query('SELECT seq, payload FROM webhook_outbox WHERE case_id = $1 ORDER BY seq', [id]);
  expect(outbox.rows.map((r) => r.seq)).toEqual(log.map((e) => e.seq));
  expect(outbox.rows.at(-1).payload).toMatchObject({ type: 'project.closed', projectId: id, partnerId: 'iom-dakar', country: 'SN' });
  const paid = await h.pool.query('SELECT payment_id, amount FROM payments WHERE case_id = $1', [id]);
  expect(paid.rows).toEqual([{ payment_id: 'tranche:t1', amount: 60_000 }]);

  // The project's partner reads it; another partner cannot tell it exists; an auditor reads but cannot act.
  expect((await projects.get(id, PARTNER_KEY.iom)).projectId).toBe(id);
  expect((await h.http('GET', `/api/v1/cooperation-projects/${id}`, { token: PARTNER_KEY.prefettura })).status).toBe(404);
  expect((await h.http('GET', '/api/v1/cooperation-projects?stage=closed', { token: PARTNER_KEY.prefettura })).body.items.map((p: any) => p.projectId)).not.toContain(id);
  expect((await projects.get(id, await h.token(EMAIL.auditor))).stage).toBe('closed');
  expect((await h.http('POST', `/api/v1/cooperation-projects/${id}/actions/close_project`, { token: await h.token(EMAIL.auditor), body: {} })).status).toBe(403);
});

test('a tranche above the budget is refused with 422 and the project is unchanged', async () => {
  const id = await projects.open({ budget: 50_000 });
  await projects.toImplementation(id);
  const before = await projects.get(id);
  const r = await projects.try(id, 'submit_milestone_report', 'partner', { milestone: 'land bought', amount: 50_001 });
  expect(r.status).toBe(422);
  expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(r.body).toMatchObject({ reason: 'OVER_BUDGET', errors: [{ path: 'body.payload.amount', message: 'at most 50000' }] });
  expect((await projects.get(id)).seq).toBe(before.seq);
  // A step out of order or by the wrong role is refused the same way as on a case.
  expect((await projects.try(id, 'close_project', 'supervisor')).body).toMatchObject({ status: 409, reason: 'NOT_ALLOWED_NOW' });
  expect((await projects.try(id, 'approve_tranche', 'partner', { trancheId: 't1' })).status).toBe(409);
});

test('opening is idempotent per Idempotency-Key, and the list pages with a cursor, never repeating a project', async () => {
  const token = await j.credential('caseworker');
  const key = `coop-key-${Date.now()}`;
  const post = (body: unknown) => h.http('POST', '/api/v1/cooperation-projects', { token, body, headers: { 'idempotency-key': key } });
  const first = await post(projectBody({ title: 'Bakery in Kaolack' }));
  const again = await post(projectBody({ title: 'Bakery in Kaolack' }));
  expect(first.status).toBe(201);
  expect(again.body.projectId).toBe(first.body.projectId);
  expect((await post(projectBody({ title: 'Another project' }))).status).toBe(409);
  expect((await h.http('POST', '/api/v1/cooperation-projects', { token, body: projectBody({ partnerId: 'no-such-partner' }) })).body).toMatchObject({
    status: 422,
    errors: [{ path: 'body.partnerId' }],
  });

  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: any } = await h.http('GET', `/api/v1/cooperation-projects?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token });
    expect(page.status).toBe(200);
    seen.push(...page.body.items.map((p: any) => p.projectId));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toContain(first.body.projectId);
  expect((await h.http('GET', '/api/v1/cooperation-projects?cursor=bogus', { token })).status).toBe(422);
});

test('two returnees take the two slots; one withdrawing frees a slot that a third returnee then takes', async () => {
  const id = await projects.open({ slots: 2 });
  await projects.toImplementation(id);
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => projects.returneeWithPlan(id)));
  expect((await projects.approve(a)).status).toBe(200);
  expect((await projects.approve(b)).status).toBe(200);

  const full = await projects.approve(c);
  expect(full.status).toBe(409);
  expect(full.body).toMatchObject({ reason: 'NO_SLOTS_LEFT', allowedActions: expect.arrayContaining(['approve_plan', 'withdraw']) });
  expect(await j.get(c)).toMatchObject({ stage: 'reintegration_plan', plan: { status: 'submitted', cooperationProjectId: id } });

  // Withdrawal before departure: the case closes, and gives its slot back before the step answers.
  expect((await j.act(a, 'withdraw', 'caseworker')).stage).toBe('closed');
  expect(await projects.get(id)).toMatchObject({ slotsUsed: 1, slotsLeft: 1 });
  expect((await projects.approve(c)).status).toBe(200);

  const view = await projects.get(id);
  expect(view).toMatchObject({ slots: 2, slotsUsed: 2, slotsLeft: 0 });
  const byCase = Object.fromEntries(view.beneficiaries.map((x: any) => [x.caseId, x]));
  expect(byCase[a]).toMatchObject({ status: 'left', leftBecause: 'withdrawn', caseStage: expect.stringMatching(/^(closed|erased)$/) });
  expect(byCase[b]).toMatchObject({ status: 'enrolled', caseStage: 'travel_booking' });
  expect(byCase[c]).toMatchObject({ status: 'enrolled', caseStage: 'travel_booking' });
});

test('many approvals race for the last slot: exactly one wins, the others hear NO_SLOTS_LEFT and stay unchanged', async () => {
  const id = await projects.open({ slots: 1 });
  await projects.act(id, 'submit_for_due_diligence', 'caseworker');
  await projects.act(id, 'record_due_diligence', 'supervisor', { passed: true });
  const ids = await Promise.all(Array.from({ length: 5 }, () => projects.returneeWithPlan(id)));

  // Before the agreement is signed the project takes nobody.
  expect((await projects.approve(ids[0])).body).toMatchObject({ status: 409, reason: 'PROJECT_NOT_ENROLLING' });
  await projects.act(id, 'sign_agreement', 'supervisor');

  const answers = await Promise.all(ids.map((caseId) => projects.approve(caseId)));
  expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
  for (const lost of answers.filter((a) => a.status !== 200)) expect(lost.body).toMatchObject({ status: 409, reason: 'NO_SLOTS_LEFT' });
  const winner = ids[answers.findIndex((a) => a.status === 200)];
  expect(await projects.get(id)).toMatchObject({ slotsUsed: 1, beneficiaries: [expect.objectContaining({ caseId: winner, status: 'enrolled' })] });
  for (const loser of ids.filter((x) => x !== winner)) expect((await j.get(loser)).plan.status).toBe('submitted');
  expect((await events(id)).filter((e) => e.type === 'project.beneficiary_enrolled')).toHaveLength(1);
  // The workflow's own state agrees with the read model.
  expect((await h.temporal.workflow.getHandle(id).query(projectStateQuery)).beneficiaries).toHaveLength(1);
});

test('a report not sent by its deadline is reminded, then escalated; the schedule survives continue-as-new', async () => {
  // A report every second: reminders and escalations keep the project busy until the test server
  // suggests continue-as-new, so the new run must carry the schedule and the open escalations.
  const id = await projects.open({ settings: { reportEvery: 'PT1S', reportCount: 15, reminderAfter: 'PT1S', escalateAfter: 'PT2S' } });
  await projects.toImplementation(id);
  const handle = h.temporal.workflow.getHandle(id);
  const firstRun = (await handle.describe()).runId;
  const escalated = await until(id, (v) => v.escalations.some((e: any) => e.key === 'report:1'));
  expect(escalated.reports[0]).toMatchObject({ no: 1, remindedAt: expect.any(String), escalatedAt: expect.any(String) });
  const types = (await events(id)).map((e) => e.type);
  expect(types.indexOf('project.reminder')).toBeLessThan(types.indexOf('project.escalated'));
  const listed = await h.http('GET', '/api/v1/cooperation-projects?escalated=true&country=SN', { token: await j.credential('caseworker') });
  expect(listed.body.items.map((p: any) => p.projectId)).toContain(id);

  for (const deadline = Date.now() + 40_000; (await handle.describe()).runId === firstRun && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 500));
  }
  expect((await handle.describe()).runId).not.toBe(firstRun);
  expect((await handle.query(projectStateQuery)).reports).toHaveLength(15);

  const after = await projects.act(id, 'submit_periodic_report', 'partner', { report: 1 });
  expect(after.escalations.find((e: any) => e.key === 'report:1').resolvedAt).toEqual(expect.any(String));
  const log = await events(id);
  expect(log.map((e) => e.seq)).toEqual(log.map((_e, i) => i + 1));
}, 90_000);

test('the committed cooperation histories replay on the current workflow code', async () => {
  const fixtures = readHistoryFiles(FIXTURE_HISTORIES_DIR).filter((f) => f.workflowId.startsWith('cooperation-'));
  expect(fixtures.map((f) => f.workflowId).sort()).toEqual(['cooperation-case-withdrawal', 'cooperation-project']);
  const results = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: process.env.AVRR_TEST_BUNDLE! } }, fixtures)) results.push(r);
  expect(results.map((r) => ({ id: r.workflowId, error: r.error?.message }))).toEqual(fixtures.map((f) => ({ id: f.workflowId, error: undefined })));
});

/** Polls the project's read model until `check` holds (timers fire on the server's clock). */
async function until(id: string, check: (view: Record<string, any>) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await projects.get(id);
    if (check(view)) return view;
    if (Date.now() > deadline) throw new Error(`condition not met; project is at ${view.stage}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('auditing a project', () => {
  test('its history merges the audit log with Temporal, and it replays identically against the current code', async () => {
    const id = await projects.open();
    const token = await h.token('auditor@demo.avrr');
    const history = await h.http('GET', `/api/v1/cooperation-projects/${id}/history`, { token });
    expect(history.status).toBe(200);
    expect(history.body.entries.some((e: any) => e.source === 'audit' && e.action === 'project.opened')).toBe(true);
    expect(history.body.entries.some((e: any) => e.source === 'temporal')).toBe(true);
    const replay = await h.http('POST', `/api/v1/cooperation-projects/${id}/replay`, { token });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ caseId: id, verdict: 'identical' });
    expect((await h.http('POST', `/api/v1/cooperation-projects/coop-00000000-0000-4000-8000-000000000000/replay`, { token })).status).toBe(404);
  }, 60_000);
});
