// Withdrawal at every stage before departure: the case closes as withdrawn, and the compensations
// for what was done are in Postgres — place released, pending payments stopped, booking cancelled, partners told.
import { startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';
import { PRE_DEPARTURE_STAGES, type Stage } from '../../workflows/domain/vocabulary';

let h: Harness;
let j: Journey;
beforeAll(async () => {
  h = await startHarness();
  j = new Journey(h);
});
afterAll(async () => h?.stop());

const STAGES_TO_TRY = PRE_DEPARTURE_STAGES.filter((s) => s !== 'medical') as Stage[];

test.each(STAGES_TO_TRY)('withdrawal at %s closes the case and runs its compensations', async (stage) => {
  const id = await j.open({ medicalNeed: false });
  const before = await j.advance(id, stage);
  if (stage === 'departure') await j.act(id, 'pay_predeparture_allowance', 'caseworker');
  const v = await j.act(id, 'withdraw', 'caseworker', undefined, 'the person changed their mind');
  expect(v).toMatchObject({ stage: 'closed', outcome: 'withdrawn' });

  const place = await h.pool.query('SELECT released_at FROM place_reservations WHERE case_id = $1', [id]);
  if (before.placeReserved) expect(place.rows[0].released_at).not.toBeNull();
  else expect(place.rowCount).toBe(0);

  const compensations = await h.pool.query(
    `SELECT data->>'effect' AS c FROM case_events WHERE case_id = $1 AND type = 'case.compensation'`, [id]);
  const names = compensations.rows.map((r) => r.c);
  if (before.placeReserved) expect(names).toContain('release_place');
  if (stage === 'departure') expect(names).toContain('cancel_booking');
  expect(names).toContain('notify_partners');

  const pending = await h.pool.query(`SELECT count(*)::int AS n FROM payments WHERE case_id = $1 AND status = 'ordered'`, [id]);
  expect(pending.rows[0].n).toBe(0);
  const outbox = await h.pool.query(`SELECT count(*)::int AS n FROM webhook_outbox WHERE case_id = $1 AND event_type = 'case.closed'`, [id]);
  expect(outbox.rows[0].n).toBe(1);
});

test('withdrawal with a medical stage pending also closes and releases the place', async () => {
  const id = await j.open({ medicalNeed: true });
  await j.advance(id, 'medical');
  const v = await j.act(id, 'withdraw', 'supervisor');
  expect(v.outcome).toBe('withdrawn');
  const place = await h.pool.query('SELECT released_at FROM place_reservations WHERE case_id = $1', [id]);
  expect(place.rows[0].released_at).not.toBeNull();
});

test('after departure withdrawal is refused; stopping assistance is its own step', async () => {
  const id = await j.open();
  await j.advance(id, 'post_arrival');
  const r = await j.try(id, 'withdraw', 'caseworker');
  expect(r.status).toBe(409);
  expect(r.body.allowedActions).toContain('stop_assistance');
  expect((await j.act(id, 'stop_assistance', 'supervisor')).assistanceStopped).toBe(true);
});
