// The first vertical slice: POST a case over HTTP, read it back from the read model, and prove from
// the Temporal server's own history that the workflow ran and recorded the opening, as the API had written it.
import { startHarness, EMAIL, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { caseStateQuery } from '../../workflows/case/messages';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

test('/health reports both dependencies up', async () => {
  const r = await h.http('GET', '/health');
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ status: 'ok', temporal: 'ok', postgres: 'ok' });
});

test('a case created with POST is read back with GET, and its workflow ran on the server', async () => {
  const token = await h.token(EMAIL.caseworker);
  const created = await h.http('POST', '/api/v1/cases', { token, body: singleAdult() });
  expect(created.status).toBe(201);
  const id = created.body.caseId as string;
  expect(created.body.stage).toBe('intake');

  const read = await h.http('GET', `/api/v1/cases/${id}`, { token });
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ caseId: id, stage: 'intake', programmeId: 'test-fast', country: 'SN', office: 'roma' });
  expect(read.body.personal.household.members).toHaveLength(1);

  // The 201 did not wait for a worker: the API wrote the first row. The worker then records the opening (event 1,
  // through commitTransition) and writes its own row over it: the same, to the field, but for its updatedAt.
  const deadline = Date.now() + 30_000;
  while ((await h.pool.query('SELECT 1 FROM case_events WHERE case_id = $1 AND seq = 1', [id])).rowCount === 0) {
    if (Date.now() > deadline) throw new Error('the worker never recorded the opening');
    await new Promise((r) => setTimeout(r, 100));
  }
  const { updatedAt: _before, ...apiRow } = read.body;
  const { updatedAt: _after, ...workerRow } = (await h.http('GET', `/api/v1/cases/${id}`, { token })).body;
  expect(workerRow).toEqual(apiRow);
  const state = await h.temporal.workflow.getHandle(id).query(caseStateQuery);
  expect({ openedAt: state.openedAt, seq: state.seq, stage: state.stage }).toEqual({ openedAt: read.body.openedAt, seq: read.body.seq, stage: read.body.stage });

  const history = await h.temporal.workflow.getHandle(id).fetchHistory();
  const types = history.events!.map((e) => e.eventType);
  expect(types[0]).toBe(1); // WORKFLOW_EXECUTION_STARTED
  // The opening's write ran as a local activity in the first workflow task: a marker, no activity task.
  const markers = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
  expect(markers.map((e) => JSON.parse(Buffer.from(e.markerRecordedEventAttributes!.details!.data!.payloads![0].data!).toString()).activity_type)).toEqual(['commitTransition']);
  expect(history.events!.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
});

test('search attributes follow the case and carry no personal data', async () => {
  const token = await h.token(EMAIL.caseworker);
  const body = singleAdult({ partnerIds: ['iom-dakar'] });
  const created = await h.http('POST', '/api/v1/cases', { token, body });
  const id = created.body.caseId as string;
  await h.http('POST', `/api/v1/cases/${id}/actions/confirm_intake`, { token, body: {} });
  const attrs = (await h.temporal.workflow.getHandle(id).describe()).typedSearchAttributes;
  const byName = Object.fromEntries(attrs.getAll().map((p) => [p.key.name, p.value]));
  expect(byName).toMatchObject({
    CaseStage: 'counselling',
    ProgrammeId: 'test-fast',
    CountryOfReturn: 'SN',
    Office: 'roma',
    PartnerIds: ['iom-dakar'],
    OpenEscalations: 0,
  });
  const text = JSON.stringify(byName);
  expect(text).not.toContain(body.principal.familyName);
  expect(text).not.toContain(body.principal.dateOfBirth);
});
