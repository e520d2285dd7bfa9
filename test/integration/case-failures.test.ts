// Every failure path of the lifecycle, through the API on the real servers: each ends where the
// design says, with the right outcome, and gives the funded place back when one was taken.
import { EMAIL, startHarness, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { Journey } from '../support/journey';

let h: Harness;
let j: Journey;
beforeAll(async () => {
  h = await startHarness();
  j = new Journey(h);
});
afterAll(async () => h?.stop());

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

async function activePlace(caseId: string): Promise<boolean> {
  const r = await h.pool.query('SELECT 1 FROM place_reservations WHERE case_id = $1 AND released_at IS NULL', [caseId]);
  return r.rowCount === 1;
}

test('excluded at the eligibility check: closed as ineligible', async () => {
  const id = await j.open();
  await j.advance(id, 'eligibility');
  const v = await j.act(id, 'record_eligibility', 'prefettura', { eligible: false, exclusion: 'visa_exempt' });
  expect(v).toMatchObject({ stage: 'closed', outcome: 'ineligible' });
  expect(await activePlace(id)).toBe(false);
});

test('not admitted by the Prefettura: closed as not_admitted', async () => {
  const id = await j.open();
  await j.advance(id, 'admission');
  const v = await j.act(id, 'refuse_admission', 'prefettura');
  expect(v).toMatchObject({ stage: 'closed', outcome: 'not_admitted' });
});

test('laissez-passer requested then refused: closed with outcome other; issued: the case moves on', async () => {
  const refused = await j.open();
  await j.advance(refused, 'travel_document');
  await j.act(refused, 'request_laissez_passer', 'caseworker');
  const v = await j.act(refused, 'refuse_laissez_passer', 'caseworker');
  expect(v).toMatchObject({ stage: 'closed', outcome: 'other' });
  expect(await activePlace(refused)).toBe(false);

  const issued = await j.open();
  await j.advance(issued, 'travel_document');
  await j.act(issued, 'request_laissez_passer', 'caseworker');
  expect((await j.act(issued, 'issue_laissez_passer', 'partner', { validUntil: inDays(90) })).stage).toBe('reintegration_plan');
});

test('medical fitness only when flagged; unfit waits, or closes as unfit', async () => {
  const noNeed = await j.open({ medicalNeed: false });
  expect((await j.advance(noNeed, 'reintegration_plan')).timeline.some((t: any) => t.stageAfter === 'medical')).toBe(false);

  const id = await j.open({ medicalNeed: true });
  await j.advance(id, 'medical');
  expect((await j.act(id, 'record_fitness', 'caseworker', { fit: false })).stage).toBe('medical');
  const v = await j.act(id, 'record_fitness', 'caseworker', { fit: false, close: true });
  expect(v).toMatchObject({ stage: 'closed', outcome: 'unfit' });
  expect(await activePlace(id)).toBe(false);
});

test('a plan over budget is refused; a rejected plan can be resubmitted', async () => {
  const id = await j.open();
  const v0 = await j.advance(id, 'reintegration_plan');
  const over = await j.try(id, 'submit_plan', 'caseworker', { kind: 'business', amount: v0.amounts.planned + 100_000 });
  expect(over.status).toBe(422);
  expect(over.body.reason).toBe('OVER_BUDGET');
  await j.act(id, 'submit_plan', 'caseworker', { kind: 'housing', amount: 800 });
  expect((await j.act(id, 'reject_plan', 'supervisor', undefined, 'needs quotes')).plan.status).toBe('rejected');
  await j.act(id, 'submit_plan', 'caseworker', { kind: 'housing', amount: 700 });
  expect((await j.act(id, 'approve_plan', 'supervisor')).stage).toBe('travel_booking');
});

test('no-show leads to rebooking; past the programme maximum the case closes', async () => {
  const id = await j.open();
  await j.advance(id, 'departure');
  let v = await j.act(id, 'record_no_show', 'caseworker');
  expect(v).toMatchObject({ stage: 'travel_booking', rebookings: 1 });
  await j.act(id, 'book_travel', 'caseworker', { departureDate: inDays(3) });
  v = await j.act(id, 'record_no_show', 'caseworker');
  expect(v).toMatchObject({ stage: 'travel_booking', rebookings: 2 });
  await j.act(id, 'book_travel', 'caseworker', { departureDate: inDays(3) });
  v = await j.act(id, 'record_no_show', 'caseworker'); // maxRebookings is 2 in the test programme
  expect(v).toMatchObject({ stage: 'closed', outcome: 'other', outcomeReason: 'no_show_limit' });
  expect(await activePlace(id)).toBe(false);
});

test('absconding closes the case as absconded and releases the place', async () => {
  const id = await j.open();
  await j.advance(id, 'departure');
  const v = await j.act(id, 'record_absconding', 'caseworker');
  expect(v).toMatchObject({ stage: 'closed', outcome: 'absconded' });
  expect(await activePlace(id)).toBe(false);
});

test('an expired booking sends the case back to travel booking with an escalation', async () => {
  const id = await j.open();
  await j.advance(id, 'travel_booking');
  await j.act(id, 'book_travel', 'caseworker', { departureDate: inDays(2), expiresAt: new Date(Date.now() + 1500).toISOString() });
  const v = await j.until(id, (x) => x.stage === 'travel_booking');
  expect(v.booking.status).toBe('expired');
  expect(v.escalations.map((e: any) => e.reason)).toContain('booking_expired');
});

test('a missed deadline escalates without blocking the case', async () => {
  const id = await j.open();
  await j.advance(id, 'post_arrival');
  // The partner does not confirm arrival within the test programme's 5 seconds.
  const late = await j.until(id, (x) => x.openEscalations > 0);
  expect(late.escalations.some((e: any) => e.stage === 'post_arrival' && e.reason === 'deadline_missed')).toBe(true);
  const escalated = await h.pool.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'case.escalated'`, [id]);
  expect(escalated.rows[0].n).toBeGreaterThan(0);
  expect((await j.act(id, 'confirm_arrival', 'partner')).stage).toBe('reintegration');
});

test('a missing monitoring report brings a reminder, then an escalation', async () => {
  const id = await j.open();
  await j.advance(id, 'reintegration');
  const v0 = await j.get(id);
  await j.act(id, 'stop_assistance', 'supervisor', undefined, 'business plan abandoned');
  expect(v0.checkpoints.length).toBe(2);
  const v = await j.until(id, (x) => x.checkpoints[0].escalatedAt !== undefined, 30_000);
  expect(v.checkpoints[0].remindedAt).toBeDefined();
  expect(Date.parse(v.checkpoints[0].remindedAt)).toBeLessThan(Date.parse(v.checkpoints[0].escalatedAt));
  const types = await h.pool.query(`SELECT type FROM case_events WHERE case_id = $1 AND type IN ('case.reminder', 'case.escalated') ORDER BY seq`, [id]);
  expect(types.rows.map((r) => r.type)).toEqual(expect.arrayContaining(['case.reminder', 'case.escalated']));
});

test('a duplicate referral of a person with an open case is refused with 409', async () => {
  const token = await h.token(EMAIL.caseworker);
  const body = singleAdult();
  expect((await h.http('POST', '/api/v1/cases', { token, body })).status).toBe(201);
  const dup = await h.http('POST', '/api/v1/cases', { token, body });
  expect(dup.status).toBe(409);
  expect(dup.body.reason).toBe('DUPLICATE_REFERRAL');
});
