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

  // Follow-up runs on timers: reminders and escalations keep adding events until a new run starts.
  await j.until(id, () => true);
  const deadline = Date.now() + 40_000;
  let runId = first;
  while (runId === first && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
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
