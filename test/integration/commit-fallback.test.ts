// A case's opening is written by a local activity inside its first workflow task. Its retries are few, so a worker
// asked to stop is never held by them; past them the write falls back to ordinary activities, whose retries the
// server holds. Both ways a local activity gives up are made certain here, and each time the case goes on:
// - slow: the case's lock (the one every write takes) is held past the local attempts' timeouts;
// - fast: an audit entry planted behind the application's back makes every attempt fail at once, until removed.
// Every later transition is written by activities, once the task that decided it is in the history.
import crypto from 'node:crypto';
import { Client as PgClient } from 'pg';
import { loadProgrammes } from '../../common/programmes';
import { caseWorkflow } from '../../workflows/case/workflow';
import { startHarness, EMAIL, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { caseStateQuery } from '../../workflows/case/messages';

let h: Harness;
/** A direct superuser connection, as someone with database access behind the application's back. */
let su: PgClient;
beforeAll(async () => {
  h = await startHarness();
  su = new PgClient({ connectionString: process.env.DATABASE_URL });
  await su.connect();
});
afterAll(async () => {
  await su?.end();
  await h?.stop();
});

const LOCAL_MARKER = 'core_local_activity';

test('an opening write that outlasts the local attempts (each timing out) falls back to activities and is recorded once', async () => {
  const caseId = newCaseId();
  const blocker = await h.pool.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [caseId]);
    await startCase(caseId);
    // The local activity's four attempts of 5 s each pass while the lock is held.
    await waitFor(async () => (await scheduled(caseId)).includes('recordTransition'), 40_000);
    await blocker.query('COMMIT');
  } finally {
    await blocker.query('ROLLBACK').catch(() => undefined);
    blocker.release();
  }
  await expectRecordedOnce(caseId);
}, 90_000);

test('an opening write whose local attempts fail at once falls back to activities, which finish once the cause is gone', async () => {
  const caseId = newCaseId();
  // The opening is event 1: an entry already claiming it makes the write's audit insert fail, every attempt.
  const planted = await plantTransitionEntry(caseId, 1);
  await startCase(caseId);
  await waitFor(async () => (await scheduled(caseId)).includes('recordTransition'), 40_000);
  expect((await h.temporal.workflow.getHandle(caseId).describe()).status.name).toBe('RUNNING');
  await su.query('BEGIN');
  await su.query('SET LOCAL session_replication_role = replica'); // past the append-only trigger, as only a superuser can
  await su.query('DELETE FROM audit_log WHERE id = $1', [planted]);
  await su.query('COMMIT');
  await expectRecordedOnce(caseId);
}, 90_000);

test('only the opening is written locally: a step is written by activities, after its update is in the history', async () => {
  const token = await h.token(EMAIL.caseworker);
  const created = await h.http('POST', '/api/v1/cases', { token, body: singleAdult() });
  const id = created.body.caseId as string;
  expect((await h.http('POST', `/api/v1/cases/${id}/actions/confirm_intake`, { token, body: {} })).status).toBe(200);
  const history = await h.temporal.workflow.getHandle(id).fetchHistory();
  const markers = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === LOCAL_MARKER);
  expect(markers).toHaveLength(1);
  const accepted = history.events!.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  const recorded = history.events!.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordTransition');
  expect(accepted).toBeGreaterThan(history.events!.indexOf(markers[0]));
  expect(recorded).toBeGreaterThan(accepted);
});

function newCaseId(): string {
  return `case-${crypto.randomUUID()}`;
}

/** Started as the API starts a case (the opening instant in the arguments), without the API's own first row. */
async function startCase(caseId: string): Promise<void> {
  const programme = loadProgrammes(h.cfg.PROGRAMMES_DIR).get('test-fast')!;
  await h.temporal.workflow.start(caseWorkflow, {
    workflowId: caseId,
    taskQueue: h.cfg.TEMPORAL_TASK_QUEUE,
    args: [{ caseId, input: singleAdult(), programme, openedBy: { userId: 'u-caseworker', role: 'caseworker' }, openedAt: new Date().toISOString() }],
  });
}

async function plantTransitionEntry(caseId: string, eventSeq: number): Promise<string> {
  const { rows } = await su.query(
    `INSERT INTO audit_log (case_id, entry_no, kind, event_seq, action, occurred_at, prev_hash, hash)
     VALUES ($1, 1000, 'transition', $2, 'planted', now(), 'x', 'x') RETURNING id`,
    [caseId, eventSeq],
  );
  return rows[0].id;
}

/** Recorded once, whichever attempt got there first, and the case still runs; the history shows the branch taken. */
async function expectRecordedOnce(id: string): Promise<void> {
  const handle = h.temporal.workflow.getHandle(id);
  await waitFor(async () => (await h.pool.query('SELECT 1 FROM cases WHERE case_id = $1', [id])).rowCount === 1);
  // (The fast programme's intake deadline may also have passed meanwhile: the tick's events follow the step's.)
  const state = await handle.query(caseStateQuery);
  const events = await h.pool.query('SELECT seq, type FROM case_events WHERE case_id = $1 ORDER BY seq', [id]);
  expect(events.rows.map((e) => e.seq)).toEqual(Array.from({ length: state.seq }, (_, i) => i + 1));
  expect(events.rows.filter((e) => e.type === 'case.opened')).toHaveLength(1);
  const audit = await h.pool.query(`SELECT event_seq FROM audit_log WHERE case_id = $1 AND kind = 'transition' ORDER BY entry_no`, [id]);
  expect(audit.rows.map((r) => r.event_seq)).toEqual(events.rows.map((e) => e.seq));
  const row = await h.http('GET', `/api/v1/cases/${id}`, { token: await h.token(EMAIL.caseworker) });
  expect({ stage: row.body.stage, seq: row.body.seq }).toEqual({ stage: state.stage, seq: state.seq });
  expect((await handle.describe()).status.name).toBe('RUNNING');

  // The failed local attempt, then the activities: a replay takes the same branch.
  const history = await handle.fetchHistory();
  const markers = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === LOCAL_MARKER);
  expect(markers.map((e) => Boolean(e.markerRecordedEventAttributes!.failure))).toEqual([true]);
  expect((await scheduled(id)).slice(0, 2)).toEqual(['recordTransition', 'dispatchWebhooks']);
}

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
