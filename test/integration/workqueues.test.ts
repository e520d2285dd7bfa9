// Workqueues: a caseworker's queue holds exactly the cases waiting on a step a caseworker can take, in their
// office, soonest deadline first; its counts equal its rows; assigning and unassigning (through the workflow)
// moves a case into and out of "my cases". Staff and cases live in an office of their own.
import crypto from 'node:crypto';
import { PARTNER_KEY, startHarness, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { createStaff, type Staff } from '../support/staff';

let h: Harness;
let cw: Staff;
let sup: Staff;
const office = `wq-${crypto.randomUUID().slice(0, 8)}`;
const HOUR = 3_600_000;
const id = (name: string) => `${office}-${name}`;

/** Read-model rows with known deadlines and waiting roles: the queue's SQL is the subject here. */
async function insertRow(name: string, pendingRoles: string[], deadlineInHours: number | null, extra: { office?: string; assignee?: string; stage?: string } = {}) {
  await h.pool.query(
    `INSERT INTO cases (case_id, programme_id, country, office, stage, assignee, next_deadline, opened_at, updated_at, last_seq, summary, pending_roles)
     VALUES ($1, 'test-calm', 'SN', $2, $3, $4, $5, now(), now(), 1, $6, $7)`,
    [id(name), extra.office ?? office, extra.stage ?? 'counselling', extra.assignee ?? null,
      deadlineInHours === null ? null : new Date(Date.now() + deadlineInHours * HOUR), {}, pendingRoles],
  );
}

async function queue(who: Staff | string, name: 'waiting' | 'mine', query = '') {
  const token = typeof who === 'string' ? who : who.token;
  const r = await h.http('GET', `/api/v1/workqueues/${name}?office=${office}${query}`, { token });
  expect(r.status).toBe(200);
  return r.body;
}

const ids = (body: { items: { caseId: string }[] }) => body.items.map((i) => i.caseId);

async function openCase(): Promise<string> {
  const r = await h.http('POST', '/api/v1/cases', {
    token: cw.token,
    body: singleAdult({ programmeId: 'test-calm', office, partnerIds: ['prefettura-roma'] }),
  });
  expect(r.status).toBe(201);
  return r.body.caseId;
}

async function act(caseId: string, action: string, payload?: unknown) {
  const r = await h.http('POST', `/api/v1/cases/${caseId}/actions/${action}`, { token: cw.token, body: payload ? { payload } : {} });
  expect(r.status).toBe(200);
}

let atIntake: string;
let atEligibility: string;

beforeAll(async () => {
  h = await startHarness();
  [cw, sup] = await Promise.all([createStaff(h, 'caseworker', office), createStaff(h, 'supervisor', office)]);
  await insertRow('overdue', ['caseworker', 'supervisor'], -1);
  await insertRow('soon', ['caseworker', 'supervisor'], 24);
  await insertRow('later', ['caseworker'], 240, { assignee: cw.userId });
  await insertRow('no-deadline', ['caseworker', 'supervisor'], null);
  await insertRow('for-supervisor', ['supervisor', 'partner'], 2);
  await insertRow('closed', [], null, { stage: 'closed', assignee: cw.userId });
  await insertRow('elsewhere', ['caseworker'], 1, { office: `${office}-other` });
  // Two real cases: one waits at intake on the caseworker (deadline in 30 days), one at eligibility on the
  // Questura or a supervisor. Their waiting roles come from the workflow's projection.
  [atIntake, atEligibility] = await Promise.all([openCase(), openCase()]);
  await act(atEligibility, 'confirm_intake');
  await act(atEligibility, 'record_counselling_session', { durationMinutes: 60 });
  await act(atEligibility, 'sign_declaration');
  await act(atEligibility, 'lodge_application');
});
afterAll(async () => h?.stop());

test("a caseworker's queue: exactly the cases waiting on a caseworker, in deadline order, overdue and due soon marked", async () => {
  const body = await queue(cw, 'waiting');
  expect(ids(body)).toEqual([id('overdue'), id('soon'), id('later'), atIntake, id('no-deadline')]);
  expect(body.items.map((i: { due: string | null }) => i.due)).toEqual(['overdue', 'due_soon', null, null, null]);
  expect(body.items.find((i: { caseId: string }) => i.caseId === atIntake).actions).toEqual(['confirm_intake']);
  expect(body.counts).toEqual({ total: 5, overdue: 1, dueSoon: 1 });
  // The same queue without the office filter still holds nothing from another office.
  const all = await h.http('GET', '/api/v1/workqueues/waiting?limit=200', { token: cw.token });
  expect(all.body.items.some((i: { office: string }) => i.office !== office)).toBe(false);
});

test('other roles see what waits on them: a supervisor, and the Prefettura for the case at eligibility', async () => {
  // Supervisors may take the staff steps too (the intake case); the case that waits on a caseworker alone is not theirs.
  expect(ids(await queue(sup, 'waiting'))).toEqual([id('overdue'), id('for-supervisor'), id('soon'), atIntake, atEligibility, id('no-deadline')]);
  const prefettura = await queue(PARTNER_KEY.prefettura, 'waiting');
  expect(ids(prefettura)).toEqual([atEligibility]);
});

test('counts equal rows, for every filter and across pages', async () => {
  for (const query of ['', '&due=overdue', '&due=due_soon', '&dueSoonHours=300', '&stage=intake']) {
    const seen: { caseId: string; due: string | null }[] = [];
    let cursor: string | null = null;
    let counts;
    do {
      const body: any = await queue(cw, 'waiting', `${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...body.items);
      counts = body.counts;
      cursor = body.nextCursor;
    } while (cursor);
    const fromCountsEndpoint = (await h.http('GET', `/api/v1/workqueues/counts?office=${office}${query}`, { token: cw.token })).body.waiting;
    expect(fromCountsEndpoint).toEqual(counts);
    expect(counts).toEqual({
      total: seen.length,
      overdue: seen.filter((i) => i.due === 'overdue').length,
      dueSoon: seen.filter((i) => i.due === 'due_soon').length,
    });
  }
  // A wider "due soon" window marks the case due in ten days too.
  expect((await queue(cw, 'waiting', '&dueSoonHours=300')).counts).toEqual({ total: 5, overdue: 1, dueSoon: 2 });
});

test('assigning and unassigning through the API moves a case into and out of "my cases"', async () => {
  expect(ids(await queue(cw, 'mine'))).toEqual([id('later')]);

  const given = await h.http('PUT', `/api/v1/cases/${atIntake}/assignee`, { token: cw.token, body: { assignee: cw.userId } });
  expect(given.status).toBe(200);
  expect(given.body).toMatchObject({ caseId: atIntake, assignee: cw.userId });
  const mine = await queue(cw, 'mine');
  expect(ids(mine)).toEqual([id('later'), atIntake]);
  expect(mine.counts.total).toBe(2);
  const counts = (await h.http('GET', `/api/v1/workqueues/counts?office=${office}`, { token: cw.token })).body;
  expect(counts.mine.total).toBe(2);
  const described = await h.temporal.workflow.getHandle(atIntake).describe();
  expect(described.searchAttributes.Assignee).toEqual([cw.userId]);

  // Handing it to the supervisor moves it to their list.
  expect((await h.http('PUT', `/api/v1/cases/${atIntake}/assignee`, { token: cw.token, body: { assignee: sup.userId } })).status).toBe(200);
  expect(ids(await queue(cw, 'mine'))).toEqual([id('later')]);
  expect(ids(await queue(sup, 'mine'))).toEqual([atIntake]);

  const taken = await h.http('DELETE', `/api/v1/cases/${atIntake}/assignee`, { token: sup.token });
  expect(taken.body).toMatchObject({ caseId: atIntake, assignee: null });
  expect(ids(await queue(sup, 'mine'))).toEqual([]);
  const view = await h.http('GET', `/api/v1/cases/${atIntake}`, { token: cw.token });
  expect(view.body.assignee).toBeUndefined();
  const events = await h.pool.query(`SELECT data FROM case_events WHERE case_id = $1 AND type = 'case.assigned' ORDER BY seq`, [atIntake]);
  expect(events.rows.map((r) => r.data)).toEqual([{ assignee: cw.userId }, { assignee: sup.userId }, { assignee: null }]);
});

test('assignment is refused to non-staff, across offices, by partners, and on closed cases', async () => {
  const to = (assignee: string, token = cw.token, caseId = atIntake) => h.http('PUT', `/api/v1/cases/${caseId}/assignee`, { token, body: { assignee } });
  expect((await to('u-caseworker')).status).toBe(422); // a caseworker of another office
  expect((await to('u-auditor')).status).toBe(422);
  expect((await to(cw.userId, PARTNER_KEY.prefettura)).status).toBe(403);

  await act(atEligibility, 'withdraw');
  const closed = await to(cw.userId, cw.token, atEligibility);
  expect(closed.status).toBe(409);
  expect(closed.body.reason).toBe('NOT_ALLOWED_NOW');
  // A withdrawn case waits on no one.
  expect(ids(await queue(PARTNER_KEY.prefettura, 'waiting'))).toEqual([]);
});
