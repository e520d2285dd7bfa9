// Long cases continue as new when Temporal suggests it (the test server suggests it early): the state,
// the open follow-up deadlines and the event numbering survive, and the case still finishes.
import { startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';
import { caseStateQuery } from '../../workflows/case/messages';

let h: Harness;
let j: Journey;
beforeAll(async () => {
  h = await startHarness();
  j = new Journey(h);
});
afterAll(async () => h?.stop());

test('continue-as-new in the middle of follow-up keeps state, deadlines and numbering', async () => {
  const id = await j.open();
  await j.advance(id, 'reintegration');
  await j.act(id, 'stop_assistance', 'supervisor');
  const handle = h.temporal.workflow.getHandle(id);
  const first = (await handle.describe()).runId;

  // Add events (assigning and taking back the case, through the workflow) until Temporal suggests a new run;
  // the test server suggests it after 120 events, so this happens within a few dozen steps.
  const token = await j.credential('supervisor');
  let runId = first;
  for (let i = 0; runId === first && i < 60; i++) {
    if (i % 2 === 0) await h.http('PUT', `/api/v1/cases/${id}/assignee`, { token, body: { assignee: 'u-caseworker' } });
    else await h.http('DELETE', `/api/v1/cases/${id}/assignee`, { token });
    runId = (await handle.describe()).runId;
  }
  expect(runId).not.toBe(first);

  const state = await handle.query(caseStateQuery);
  expect(state.stage).toBe('monitoring');
  expect(state.checkpoints).toHaveLength(2);
  // The escalation timer of the second checkpoint fires in the new run.
  const v = await j.until(id, (x) => x.checkpoints[1].escalatedAt !== undefined, 30_000);
  const seqs = await h.pool.query('SELECT seq FROM case_events WHERE case_id = $1 ORDER BY seq', [id]);
  expect(seqs.rows.map((r) => r.seq)).toEqual(seqs.rows.map((_r, i) => i + 1));
  expect(v.seq).toBe(seqs.rowCount);

  // The case still completes after the new run took over.
  for (const checkpoint of ['PT5S', 'PT10S']) await j.act(id, 'submit_monitoring_report', 'partner', { checkpoint, score: 55 });
  expect((await j.act(id, 'close_case', 'supervisor', { outcome: 'completed' })).stage).toBe('closed');
}, 120_000);
