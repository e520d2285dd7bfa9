// A transition's write runs as a local activity inside the workflow task that decided it. Its retries are short, so
// a worker asked to stop is never held by them; past them the write falls back to ordinary activities, whose retries
// the server holds. Made certain here: the case's lock (the one every write takes) is held by the test for longer
// than the local activity may retry, so the step's write can only finish through the fallback, once.
import { startHarness, EMAIL, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { caseStateQuery } from '../../workflows/case/messages';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

const LOCAL_MARKER = 'core_local_activity';

test('a write that outlasts the local retries falls back to activities and is recorded once', async () => {
  const token = await h.token(EMAIL.caseworker);
  const created = await h.http('POST', '/api/v1/cases', { token, body: singleAdult() });
  expect(created.status).toBe(201);
  const id = created.body.caseId as string;
  const handle = h.temporal.workflow.getHandle(id);
  // The opening went through the fast path.
  await waitFor(async () => (await h.pool.query('SELECT 1 FROM case_events WHERE case_id = $1', [id])).rowCount === 1);

  const blocker = await h.pool.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [id]);
    const step = h.http('POST', `/api/v1/cases/${id}/actions/confirm_intake`, { token, body: {} });
    // The local activity's four attempts of 5 s each pass while the lock is held.
    await waitFor(async () => (await scheduled(id)).includes('recordTransition'), 40_000);
    await blocker.query('COMMIT');
    const answered = await step;
    expect(answered.status).toBe(200);
    expect(answered.body.stage).toBe('counselling');
  } finally {
    await blocker.query('ROLLBACK').catch(() => undefined);
    blocker.release();
  }

  // Recorded once, whichever attempt got there first: the timed-out local attempt may also have written after the lock.
  // (The fast programme's intake deadline may also have passed meanwhile: the tick's events follow the step's.)
  const state = await handle.query(caseStateQuery);
  const events = await h.pool.query('SELECT seq, type FROM case_events WHERE case_id = $1 ORDER BY seq', [id]);
  expect(events.rows.map((e) => e.seq)).toEqual(Array.from({ length: state.seq }, (_, i) => i + 1));
  expect(events.rows.filter((e) => e.type === 'case.action')).toHaveLength(1);
  const audit = await h.pool.query(`SELECT event_seq FROM audit_log WHERE case_id = $1 AND kind = 'transition' ORDER BY entry_no`, [id]);
  expect(audit.rows.map((r) => r.event_seq)).toEqual(events.rows.map((e) => e.seq));
  const row = await h.http('GET', `/api/v1/cases/${id}`, { token });
  expect({ stage: row.body.stage, seq: row.body.seq }).toEqual({ stage: state.stage, seq: state.seq });

  // The history shows the failed local attempt, then the activities: replay takes the same branch.
  const history = await handle.fetchHistory();
  const markers = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === LOCAL_MARKER);
  expect(markers.slice(0, 2).map((e) => Boolean(e.markerRecordedEventAttributes!.failure))).toEqual([false, true]);
  expect((await scheduled(id)).slice(0, 2)).toEqual(['recordTransition', 'dispatchWebhooks']);
}, 90_000);

async function scheduled(id: string): Promise<string[]> {
  const history = await h.temporal.workflow.getHandle(id).fetchHistory();
  return history.events!.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name!);
}

async function waitFor(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
