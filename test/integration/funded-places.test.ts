// Funded places are enforced exactly: twenty admissions racing for the last place, one wins;
// a place given back (withdrawal, refusal, early closure) can be taken again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';

let h: Harness;
let j: Journey;
const programmeId = `test-scarce-${Date.now()}`;

beforeAll(async () => {
  // A programme of its own with two places, so the race does not depend on other tests.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'avrr-programmes-'));
  const fast = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'fixtures', 'programmes', 'fast.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'fast.json'), JSON.stringify(fast));
  fs.writeFileSync(path.join(dir, 'scarce.json'), JSON.stringify({ ...fast, id: programmeId, fundedPlaces: 2 }));
  h = await startHarness({ PROGRAMMES_DIR: dir });
  j = new Journey(h);
});
afterAll(async () => h?.stop());

test('twenty admissions race for the last place: exactly one wins, the others hear "no places left"', async () => {
  const first = await j.open({ programmeId });
  await j.advance(first, 'travel_document'); // takes one of the two places

  const ids = await Promise.all(Array.from({ length: 20 }, () => j.open({ programmeId })));
  await Promise.all(ids.map((id) => j.advance(id, 'admission')));
  const answers = await Promise.all(ids.map((id) => j.try(id, 'admit', 'prefettura')));

  const won = answers.filter((a) => a.status === 200);
  const lost = answers.filter((a) => a.status !== 200);
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(19);
  for (const l of lost) {
    expect(l.status).toBe(409);
    expect(l.body.reason).toBe('NO_PLACES_LEFT');
    expect(l.body.detail).toMatch(/no funded places left/);
  }
  const active = await h.pool.query('SELECT count(*)::int AS n FROM place_reservations WHERE programme_id = $1 AND released_at IS NULL', [programmeId]);
  expect(active.rows[0].n).toBe(2);
  // The losers are unchanged: still waiting for admission.
  for (const id of ids.filter((_id, i) => answers[i].status !== 200).slice(0, 3)) expect((await j.get(id)).stage).toBe('admission');

  // Withdrawing the winner gives the place back, and a waiting case can now be admitted.
  const winner = ids[answers.findIndex((a) => a.status === 200)];
  await j.act(winner, 'withdraw', 'caseworker');
  const next = ids.find((id) => id !== winner)!;
  expect((await j.try(next, 'admit', 'prefettura')).status).toBe(200);

  const programmes = await h.http('GET', '/api/v1/programmes', { token: await j.credential('caseworker') });
  const p = programmes.body.items.find((x: any) => x.id === programmeId);
  expect(p).toMatchObject({ fundedPlaces: 2, placesUsed: 2, placesLeft: 0 });
}, 120_000);
