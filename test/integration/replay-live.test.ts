// Replay of a live case through the API: its history replays identically against the current workflow code.
// Kept apart from the fixture replays, whose deliberately broken bundles run replay workers in the same process.
import { EMAIL, startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';

describe('replay of a live case', () => {
  let h: Harness;
  let j: Journey;
  beforeAll(async () => {
    h = await startHarness();
    j = new Journey(h);
  });
  afterAll(async () => h?.stop());

  test('POST /cases/:id/replay replays the case identically against the current code', async () => {
    const id = await j.open({ programmeId: 'test-calm' });
    await j.advance(id, 'travel_booking');
    const r = await h.http('POST', `/api/v1/cases/${id}/replay`, { token: await h.token(EMAIL.auditor) });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ caseId: id, runs: expect.any(Number), verdict: 'identical' });

    expect((await h.http('POST', `/api/v1/cases/${id}/replay`, { token: await h.token(EMAIL.caseworker) })).status).toBe(403);
    expect((await h.http('POST', '/api/v1/cases/case-does-not-exist/replay', { token: await h.token(EMAIL.auditor) })).status).toBe(404);
  }, 180_000);
});
