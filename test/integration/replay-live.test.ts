// Replay of a live case through the API: every run of the case (it continues as new on the test server) replays
// identically against the code the workers run. Kept apart from the fixture replays, whose deliberately broken
// bundles run replay workers in the same process.
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

  test('POST /cases/:id/replay replays every run of the case, across continue-as-new, identically', async () => {
    const id = await j.open({ programmeId: 'test-calm' });
    await j.advance(id, 'travel_booking');
    // Assigning and taking back the case adds events until the test server suggests a new run.
    const handle = h.temporal.workflow.getHandle(id);
    const first = (await handle.describe()).runId;
    const supervisor = await h.token(EMAIL.supervisor);
    for (let i = 0; (await handle.describe()).runId === first; i++) {
      if (i > 100) throw new Error('the case never continued as new');
      const r = i % 2 === 0
        ? await h.http('PUT', `/api/v1/cases/${id}/assignee`, { token: supervisor, body: { assignee: 'u-caseworker' } })
        : await h.http('DELETE', `/api/v1/cases/${id}/assignee`, { token: supervisor });
      expect(r.status).toBe(200);
    }
    const r = await h.http('POST', `/api/v1/cases/${id}/replay`, { token: await h.token(EMAIL.auditor) });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ caseId: id, runs: expect.any(Number), verdict: 'identical' });
    expect(r.body.runs).toBeGreaterThanOrEqual(2);

    expect((await h.http('POST', `/api/v1/cases/${id}/replay`, { token: await h.token(EMAIL.caseworker) })).status).toBe(403);
    expect((await h.http('POST', '/api/v1/cases/case-does-not-exist/replay', { token: await h.token(EMAIL.auditor) })).status).toBe(404);
  }, 180_000);
});
