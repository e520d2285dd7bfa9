// The API answers a start before any worker has run the case, so a caseworker's first step can reach the workflow
// in the same task as its start. Made certain here: the case is started on a task queue no worker polls yet, the
// step is sent, and only then does a worker come up. The opening must still be recorded first, then the step.
import crypto from 'node:crypto';
import { loadConfig } from '../../common/config';
import { startApp, type AppRuntime } from '../../scripts/app-runtime';
import { caseStateQuery } from '../../workflows/case/messages';
import { singleAdult } from '../support/cases';
import { freePort } from '../support/free-port';
import { EMAIL, startHarness, type Harness } from '../support/harness';
import { httpClient } from '../support/http-client';

let h: Harness;
const apps: AppRuntime[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const app of apps) await app.stop();
  await h?.stop();
});

test('a step that arrives with the start is decided after the opening is recorded', async () => {
  const queue = `first-task-${crypto.randomUUID()}`;
  const services = { temporalAddress: process.env.TEMPORAL_ADDRESS!, databaseUrl: process.env.DATABASE_URL! };
  const cfg = async () => loadConfig({ ...process.env, PORT: String(await freePort()), TEMPORAL_TASK_QUEUE: queue });
  const api = await startApp(await cfg(), services, { worker: false, bundlePath: process.env.AVRR_TEST_BUNDLE });
  apps.push(api);
  const { http, token } = httpClient(api.url);
  const caseworker = await token(EMAIL.caseworker);

  const created = await http('POST', '/api/v1/cases', { token: caseworker, body: singleAdult() });
  expect(created.status).toBe(201);
  const id = created.body.caseId as string;
  const step = http('POST', `/api/v1/cases/${id}/actions/confirm_intake`, { token: caseworker, body: {} });
  // The update waits on the server for the workflow's first task, which no worker has taken yet.
  await new Promise((r) => setTimeout(r, 1000));
  const firstTask = await h.temporal.workflow.getHandle(id).fetchHistory();
  expect(firstTask.events!.some((e) => e.workflowTaskCompletedEventAttributes)).toBe(false);
  apps.push(await startApp(await cfg(), services, { api: false, bundlePath: process.env.AVRR_TEST_BUNDLE }));

  const answered = await step;
  expect(answered.status).toBe(200);
  expect(answered.body.stage).toBe('counselling');
  const seq = answered.body.seq as number;
  const events = await h.pool.query('SELECT seq, type FROM case_events WHERE case_id = $1 ORDER BY seq', [id]);
  expect(events.rows.map((e) => e.seq)).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
  expect(events.rows[0].type).toBe('case.opened');
  const state = await h.temporal.workflow.getHandle(id).query(caseStateQuery);
  expect({ stage: state.stage, seq: state.seq }).toEqual({ stage: 'counselling', seq });
}, 120_000);
