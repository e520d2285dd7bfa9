// Webhooks from real transitions, end to end: a partner's endpoint receives its case's events and its
// cooperation project's events, signed (verified with the standardwebhooks library) and in order,
// including the erasure notice when the case is erased.
import crypto from 'node:crypto';
import { EVENT_TYPES } from '../../workflows/domain/vocabulary';
import { PROJECT_EVENT_TYPES } from '../../workflows/cooperation/domain/vocabulary';
import { EMAIL, startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';
import { Projects } from '../support/projects';
import { WebhookReceiver } from '../support/webhook-receiver';

let h: Harness;
let j: Journey;
let receiver: WebhookReceiver;
let partnerId: string;

beforeAll(async () => {
  h = await startHarness();
  j = new Journey(h);
  receiver = await new WebhookReceiver().start();
  const admin = await h.token(EMAIL.admin);
  partnerId = `live-${crypto.randomBytes(4).toString('hex')}`;
  expect((await h.http('POST', '/api/v1/partners', { token: admin, body: { partnerId, name: 'Live partner', kind: 'ngo' } })).status).toBe(201);
  const endpoint = await h.http('POST', `/api/v1/partners/${partnerId}/endpoints`, {
    token: admin,
    body: { url: receiver.url, eventTypes: [...EVENT_TYPES, ...PROJECT_EVENT_TYPES], scope: { kind: 'assigned' } },
  });
  expect(endpoint.status).toBe(201);
  receiver.secrets.push(endpoint.body.secret);
});
afterAll(async () => {
  await receiver?.stop();
  await h?.stop();
});

const forSubject = (id: string) => receiver.accepted.filter((r) => r.body.data.caseId === id);

test("a case's transitions reach its partner signed and in order, then the erasure notice", async () => {
  const id = await j.open({ partnerIds: [partnerId] }); // test-fast: erased 10 s after closing
  await j.act(id, 'confirm_intake', 'caseworker');
  await j.act(id, 'withdraw', 'caseworker');
  await receiver.waitFor(() => forSubject(id).some((r) => r.body.type === 'case.erased'), 60_000, 'the erasure notice');
  const got = forSubject(id);
  expect(got.every((r) => r.verifiedBy.length > 0)).toBe(true);
  const seqs = got.map((r) => r.body.data.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(got.map((r) => r.webhookId)).size).toBe(got.length);
  expect(got.map((r) => r.body.type)).toEqual(expect.arrayContaining(['case.opened', 'case.action', 'case.stage_changed', 'case.closed', 'case.erased']));
  // Thin payloads: no names, no free text.
  expect(JSON.stringify(got.map((r) => r.body))).not.toMatch(/Persona|Testa/);
}, 90_000);

test("a cooperation project's events reach the project's partner", async () => {
  const projects = new Projects(h, j);
  const projectId = await projects.open({ partnerId });
  await receiver.waitFor(() => forSubject(projectId).length > 0, 30_000, 'the project webhook');
  const [first] = forSubject(projectId);
  expect(first.body).toMatchObject({ type: 'project.opened', data: { caseId: projectId, projectId, seq: 1 } });
  expect(first.verifiedBy.length).toBeGreaterThan(0);
});
