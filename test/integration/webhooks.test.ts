// Partner webhooks end to end on the real Temporal dev server and PostgreSQL: events are written by the real
// transition path (recordTransition → outbox), fanned out by the real dispatchWebhooks activity, delivered by the
// delivery workflow on its own worker, and verified by a receiver using the official standardwebhooks library.
import crypto from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createWebhookActivities } from '../../activities/webhooks';
import { loadWebhookSettings } from '../../activities/webhooks/settings';
import { openSecret } from '../../activities/webhooks/secret-box';
import { sign } from '../../activities/webhooks/signing';
import { KeyStore } from '../../common/crypto/key-store';
import { parseMasterKeys } from '../../common/crypto/master-keys';
import { recordTransition } from '../../activities/record-transition';
import { deliveryWorkflowId } from '../../workflows/webhooks/messages';
import { EVENT_TYPES } from '../../workflows/domain/vocabulary';
import type { RecordedEvent } from '../../workflows/case/records';
import { EMAIL, PARTNER_KEY, startHarness, type Harness } from '../support/harness';
import { WebhookReceiver } from '../support/webhook-receiver';
import { Journey } from '../support/journey';

// Small limits so retries, timeouts and dead letters happen within seconds. Attempts start at 0, 0.2, 0.6, 1.4
// and 2.4 s; a request that hangs is cut after 1 s; a workflow continues as new every 20 events.
const POLICY_ENV = {
  WEBHOOK_MAX_ATTEMPTS: '5',
  WEBHOOK_INITIAL_INTERVAL: '200',
  WEBHOOK_MAX_INTERVAL: '1000',
  WEBHOOK_REQUEST_TIMEOUT: '1000',
  WEBHOOK_IDLE: '3000',
  WEBHOOK_EVENTS_PER_RUN: '20',
};
const MAX_ATTEMPTS = 5;

let h: Harness;
let admin: string;
let webhookWorker: Worker;
let workerRun: Promise<void>;
let workerConnection: NativeConnection;
let activities: ReturnType<typeof createWebhookActivities>;
const receivers: WebhookReceiver[] = [];
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  for (const [k, v] of Object.entries(POLICY_ENV)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  h = await startHarness();
  admin = await h.token(EMAIL.admin);
  activities = createWebhookActivities({ pool: h.pool, keys: h.encryption.keys });
  // The delivery worker, as production runs it: its own task queue, the same workflow bundle.
  workerConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  webhookWorker = await Worker.create({
    connection: workerConnection,
    namespace: h.cfg.TEMPORAL_NAMESPACE,
    taskQueue: `${h.cfg.TEMPORAL_TASK_QUEUE}-webhooks`,
    workflowBundle: { codePath: process.env.AVRR_TEST_BUNDLE! },
    dataConverter: h.encryption.dataConverter,
    activities,
  });
  workerRun = webhookWorker.run();
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
  webhookWorker?.shutdown();
  await workerRun?.catch(() => undefined);
  await workerConnection?.close();
  await h?.stop();
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers: partners and endpoints through the API, events through the real write path and fan-out activity.

async function receiver(): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver().start();
  receivers.push(r);
  return r;
}

async function newPartner(): Promise<{ partnerId: string; apiKey: string }> {
  const partnerId = `wh-${crypto.randomBytes(5).toString('hex')}`;
  const created = await h.http('POST', '/api/v1/partners', { token: admin, body: { partnerId, name: `Partner ${partnerId}`, kind: 'ngo' } });
  expect(created.status).toBe(201);
  const key = await h.http('POST', `/api/v1/partners/${partnerId}/api-keys`, { token: admin });
  expect(key.status).toBe(201);
  return { partnerId, apiKey: key.body.apiKey };
}

async function newEndpoint(partnerId: string, r: WebhookReceiver, body: Record<string, unknown> = {}): Promise<{ endpointId: string; secret: string }> {
  const res = await h.http('POST', `/api/v1/partners/${partnerId}/endpoints`, {
    token: admin,
    body: { url: r.url, eventTypes: [...EVENT_TYPES], scope: { kind: 'assigned' }, ...body },
  });
  expect(res.status).toBe(201);
  r.secrets.push(res.body.secret);
  return { endpointId: res.body.endpointId, secret: res.body.secret };
}

function newCaseId(): string {
  return `case-wh-${crypto.randomUUID()}`;
}

/** Records events `from..to` of a case as one transition (the real write path), then runs the fan-out activity. */
async function recordEvents(caseId: string, from: number, to: number, partnerIds: string[]): Promise<void> {
  const at = new Date().toISOString();
  const events: RecordedEvent[] = [];
  for (let seq = from; seq <= to; seq++) {
    events.push({
      seq,
      at,
      type: seq === 1 ? 'case.opened' : 'case.action',
      stageBefore: 'intake',
      stageAfter: 'intake',
      action: seq === 1 ? undefined : 'record_counselling_session',
      reason: 'free text typed by staff must never reach a partner',
      data: { sessions: seq, fit: false, escortNeeded: true },
    });
  }
  await recordTransition(h.pool, h.encryption.keys, {
    caseId,
    events,
    projection: {
      caseId,
      programmeId: 'test-fast',
      country: 'SN',
      office: 'roma',
      stage: 'intake',
      partnerIds,
      openEscalations: 0,
      openedAt: at,
      lastSeq: to,
      summary: {},
    },
    effects: [],
  });
  await dispatch(caseId, to);
}

/** The real activity, in an activity context bound to the harness's case task queue and Temporal client. */
async function dispatch(caseId: string, seq: number): Promise<void> {
  const env = new MockActivityEnvironment({ taskQueue: h.cfg.TEMPORAL_TASK_QUEUE }, { client: h.temporal });
  await env.run(activities.dispatchWebhooks, { caseId, seq });
}

async function deliveries(partnerId: string, token: string, query = '') {
  const res = await h.http('GET', `/api/v1/partners/${partnerId}/deliveries${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items as {
    webhookId: string;
    caseId: string;
    seq: number;
    status: string;
    deadLetter?: { reason: string; resolvedAt?: string };
    attempts: { attempt: number; statusCode?: number; latencyMs: number; error?: string }[];
  }[];
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const seqsOf = (rs: { body: { data: { seq: number } } }[]) => rs.map((r) => r.body.data.seq);

// ---------------------------------------------------------------------------------------------------------------

describe('signing and limits (no servers)', () => {
  test('signatures match the Standard Webhooks test vector', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('the default retry schedule gives up after about three days', () => {
    const { policy } = loadWebhookSettings({});
    let waited = 0;
    for (let retry = 1; retry < policy.maxAttempts; retry++) {
      waited += Math.min(policy.initialIntervalMs * 2 ** (retry - 1), policy.maxIntervalMs);
    }
    expect(policy.requestTimeoutMs).toBe(10_000);
    expect(policy.retryWindowMs).toBe(72 * 3_600_000);
    expect(waited / 3_600_000).toBeGreaterThan(70);
    expect(waited / 3_600_000).toBeLessThanOrEqual(72);
  });
});

describe('partner and endpoint management', () => {
  test('only admins manage partners; the signing secret is whsec_ + base64 of 24-32 bytes and is shown once', async () => {
    const caseworker = await h.token(EMAIL.caseworker);
    const denied = await h.http('POST', '/api/v1/partners', { token: caseworker, body: { partnerId: 'wh-nope', name: 'x', kind: 'ngo' } });
    expect(denied.status).toBe(403);

    const { partnerId } = await newPartner();
    const again = await h.http('POST', '/api/v1/partners', { token: admin, body: { partnerId, name: 'dup', kind: 'ngo' } });
    expect(again.status).toBe(409);
    const list = await h.http('GET', '/api/v1/partners', { token: admin });
    expect(list.body.items.map((p: { partnerId: string }) => p.partnerId)).toContain(partnerId);

    const r = await receiver();
    const { endpointId, secret } = await newEndpoint(partnerId, r);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
    expect(bytes).toBeGreaterThanOrEqual(24);
    expect(bytes).toBeLessThanOrEqual(32);

    const endpoints = await h.http('GET', `/api/v1/partners/${partnerId}/endpoints`, { token: admin });
    expect(endpoints.body.items).toEqual([expect.objectContaining({ endpointId, url: r.url, enabled: true, scope: { kind: 'assigned' } })]);
    expect(JSON.stringify(endpoints.body)).not.toContain('whsec_');
    // At rest the secret is sealed: the row alone, or the row with another master key, does not reveal it.
    const stored = await h.pool.query<{ sealed: string }>('SELECT sealed FROM webhook_secrets WHERE endpoint_id = $1', [endpointId]);
    expect(stored.rows[0].sealed).not.toContain(secret.slice('whsec_'.length));
    expect(await openSecret(h.encryption.keys, stored.rows[0].sealed)).toBe(secret);
    const otherMaster = new KeyStore(h.pool, parseMasterKeys(`other:${crypto.randomBytes(32).toString('base64')}`));
    await expect(openSecret(otherMaster, stored.rows[0].sealed)).rejects.toThrow();

    const badType = await h.http('POST', `/api/v1/partners/${partnerId}/endpoints`, {
      token: admin,
      body: { url: r.url, eventTypes: ['case.nonsense'], scope: { kind: 'assigned' } },
    });
    expect(badType.status).toBe(422);
    const badProgramme = await h.http('POST', `/api/v1/partners/${partnerId}/endpoints`, {
      token: admin,
      body: { url: r.url, eventTypes: ['case.opened'], scope: { kind: 'programmes', programmes: ['no-such-programme'] } },
    });
    expect(badProgramme.status).toBe(422);

    const openapi = await h.http('GET', '/api/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/partners/{id}/endpoints', '/api/v1/partners/{id}/deliveries', '/api/v1/cases/{id}/partners']),
    );
  });

  test('a rotated API key keeps working during the overlap, then stops; a revoked key stops at once', async () => {
    const { partnerId, apiKey } = await newPartner();
    expect((await h.http('GET', `/api/v1/partners/${partnerId}/deliveries`, { token: apiKey })).status).toBe(200);
    const keys = await h.http('GET', `/api/v1/partners/${partnerId}/api-keys`, { token: admin });
    expect(keys.body.items).toHaveLength(1);
    expect(JSON.stringify(keys.body)).not.toContain(apiKey);

    const rotated = await h.http('POST', `/api/v1/partners/${partnerId}/api-keys/${keys.body.items[0].keyId}/rotate`, { token: admin });
    expect(rotated.status).toBe(201);
    expect(rotated.body.apiKey).not.toBe(apiKey);
    expect((await h.http('GET', `/api/v1/partners/${partnerId}/deliveries`, { token: apiKey })).status).toBe(200);
    expect((await h.http('GET', `/api/v1/partners/${partnerId}/deliveries`, { token: rotated.body.apiKey })).status).toBe(200);
    // The overlap ends (moved into the past here instead of waiting a day): the old key no longer works.
    await h.pool.query(`UPDATE partner_api_keys SET revoked_at = now() - interval '1 second' WHERE key_id = $1`, [keys.body.items[0].keyId]);
    expect((await h.http('GET', `/api/v1/partners/${partnerId}/deliveries`, { token: apiKey })).status).toBe(401);
    const revoke = await h.http('DELETE', `/api/v1/partners/${partnerId}/api-keys/${rotated.body.keyId}`, { token: admin });
    expect(revoke.status).toBe(204);
    expect((await h.http('GET', `/api/v1/partners/${partnerId}/deliveries`, { token: rotated.body.apiKey })).status).toBe(401);
  });
});

describe('delivery', () => {
  test('happy path: signed, thin, in order, logged', async () => {
    const { partnerId, apiKey } = await newPartner();
    const r = await receiver();
    const { endpointId } = await newEndpoint(partnerId, r);
    const caseId = newCaseId();

    await recordEvents(caseId, 1, 1, [partnerId]);
    await recordEvents(caseId, 2, 3, [partnerId]);
    await r.waitFor((x) => x.accepted.length === 3, 20_000, '3 deliveries');

    expect(seqsOf(r.accepted)).toEqual([1, 2, 3]);
    for (const d of r.received) {
      expect(d.verifiedBy).toEqual([0]);
      expect(d.webhookId).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(Math.abs(d.timestamp - Date.now() / 1000)).toBeLessThan(60);
    }
    const first = r.accepted[0].body;
    expect(first).toEqual({
      type: 'case.opened',
      timestamp: expect.any(String),
      data: { caseId, seq: 1, stage: 'intake', previousStage: 'intake', programmeId: 'test-fast', country: 'SN', facts: { sessions: 1 } },
    });
    expect(r.accepted[1].body.data.action).toBe('record_counselling_session');
    // The thin payload never carries staff free text, nor health facts (fitness to travel, escort needs).
    expect(r.received.some((d) => d.rawBody.includes('free text'))).toBe(false);
    expect(r.received.some((d) => /fit|escort/.test(d.rawBody))).toBe(false);

    const log = await eventually(() => deliveries(partnerId, apiKey), (l) => l.length === 3 && l.every((d) => d.status === 'delivered'));
    expect(log.map((d) => d.seq).sort()).toEqual([1, 2, 3]);
    for (const d of log) {
      expect(d.attempts).toEqual([{ attempt: 1, at: expect.any(String), statusCode: 204, latencyMs: expect.any(Number) }]);
      expect(d.webhookId).toBe(r.accepted.find((x) => x.body.data.seq === d.seq)!.webhookId);
    }
    // Another event type the endpoint does not subscribe to is not sent.
    const narrow = await receiver();
    await newEndpoint(partnerId, narrow, { eventTypes: ['case.closed'] });
    await recordEvents(caseId, 4, 4, [partnerId]);
    await r.waitFor((x) => x.accepted.length === 4, 20_000, 'the 4th delivery');
    expect(narrow.received).toHaveLength(0);
    expect(endpointId).toMatch(/^ep_/);
  });

  test('a receiver answering 500 twice gets the same webhook-id again and then succeeds', async () => {
    const { partnerId, apiKey } = await newPartner();
    const r = await receiver();
    await newEndpoint(partnerId, r);
    r.respond({ status: 500 }, 2);
    const caseId = newCaseId();
    await recordEvents(caseId, 1, 1, [partnerId]);

    await r.waitFor((x) => x.accepted.length === 1, 20_000, 'the delivery after two 500s');
    expect(r.received.map((d) => d.answered)).toEqual([500, 500, 204]);
    expect(new Set(r.received.map((d) => d.webhookId)).size).toBe(1);
    const [d] = await eventually(() => deliveries(partnerId, apiKey), (l) => l[0]?.status === 'delivered');
    expect(d.attempts.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 500, 'HTTP 500'],
      [3, 204, undefined],
    ]);
  });

  test('a receiver that hangs is cut off at the request timeout and retried', async () => {
    const { partnerId, apiKey } = await newPartner();
    const r = await receiver();
    await newEndpoint(partnerId, r);
    r.respond({ hang: true }, 1);
    await recordEvents(newCaseId(), 1, 1, [partnerId]);

    await r.waitFor((x) => x.accepted.length === 1, 20_000, 'the retry after the timeout');
    const [d] = await eventually(() => deliveries(partnerId, apiKey), (l) => l[0]?.status === 'delivered');
    expect(d.attempts[0]).toEqual(expect.objectContaining({ attempt: 1, error: 'timed out after 1000 ms' }));
    expect(d.attempts[0].statusCode).toBeUndefined();
    expect(d.attempts[0].latencyMs).toBeGreaterThanOrEqual(950);
    expect(d.attempts[1]).toEqual(expect.objectContaining({ attempt: 2, statusCode: 204 }));
  });

  test('connection refused is retried up to the limit, dead-lettered, and redelivered on request', async () => {
    const { partnerId, apiKey } = await newPartner();
    const r = await receiver();
    const { endpointId } = await newEndpoint(partnerId, r);
    await r.stop();
    const caseId = newCaseId();
    await recordEvents(caseId, 1, 2, [partnerId]);

    const dead = await eventually(
      () => deliveries(partnerId, apiKey),
      (l) => l.length === 2 && l.every((d) => d.status === 'dead'),
      20_000,
      'both events dead-lettered',
    );
    for (const d of dead) {
      expect(d.attempts).toHaveLength(MAX_ATTEMPTS);
      expect(d.attempts.every((a) => a.error === 'connection refused' && a.statusCode === undefined)).toBe(true);
      expect(d.deadLetter?.reason).toContain('connection refused');
    }

    await r.start();
    const replay = await h.http('POST', `/api/v1/partners/${partnerId}/endpoints/${endpointId}/redeliver`, {
      token: admin,
      body: { caseId, seq: 2 },
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ events: 1, cases: 1 });
    await r.waitFor((x) => x.accepted.length === 1, 20_000, 'the redelivered event');
    expect(seqsOf(r.accepted)).toEqual([2]);
    expect(r.accepted[0].webhookId).toBe(dead.find((d) => d.seq === 2)!.webhookId);
    const after = await eventually(() => deliveries(partnerId, apiKey), (l) => l.find((d) => d.seq === 2)?.status === 'delivered');
    expect(after.find((d) => d.seq === 2)!.deadLetter?.resolvedAt).toEqual(expect.any(String));
    expect(after.find((d) => d.seq === 1)!.status).toBe('dead');

    const missing = await h.http('POST', `/api/v1/partners/${partnerId}/endpoints/${endpointId}/redeliver`, {
      token: admin,
      body: { caseId, seq: 99 },
    });
    expect(missing.status).toBe(404);
  });

  test('410 Gone disables the endpoint and dead-letters the rest; re-enabled, a redelivery since a time replays in order', async () => {
    const { partnerId, apiKey } = await newPartner();
    const r = await receiver();
    const { endpointId } = await newEndpoint(partnerId, r);
    r.respond({ status: 410 });
    const since = new Date(Date.now() - 1000).toISOString();
    const caseId = newCaseId();
    await recordEvents(caseId, 1, 3, [partnerId]);

    const log = await eventually(
      () => deliveries(partnerId, apiKey),
      (l) => l.length === 3 && l.every((d) => d.status === 'dead'),
      20_000,
      'all three dead-lettered',
    );
    expect(r.received).toHaveLength(1); // 410 is not retried, and nothing more is sent
    const bySeq = (s: number) => log.find((d) => d.seq === s)!;
    expect(bySeq(1).attempts.map((a) => a.statusCode)).toEqual([410]);
    expect(bySeq(1).deadLetter?.reason).toContain('410');
    expect(bySeq(2).deadLetter?.reason).toBe('endpoint disabled');
    expect(bySeq(3).attempts).toHaveLength(0);

    const endpoints = await h.http('GET', `/api/v1/partners/${partnerId}/endpoints`, { token: admin });
    expect(endpoints.body.items[0]).toEqual(expect.objectContaining({ enabled: false, disabledReason: 'answered 410 Gone' }));

    // While disabled, new events are not queued for it, and redelivery is refused.
    await recordEvents(caseId, 4, 4, [partnerId]);
    expect((await deliveries(partnerId, apiKey)).some((d) => d.seq === 4)).toBe(false);
    const refused = await h.http('POST', `/api/v1/partners/${partnerId}/endpoints/${endpointId}/redeliver`, { token: admin, body: { since } });
    expect(refused.status).toBe(409);

    r.reset();
    const enabled = await h.http('PATCH', `/api/v1/partners/${partnerId}/endpoints/${endpointId}`, { token: admin, body: { enabled: true } });
    expect(enabled.status).toBe(200);
    expect(enabled.body.enabled).toBe(true);
    const replay = await h.http('POST', `/api/v1/partners/${partnerId}/endpoints/${endpointId}/redeliver`, { token: admin, body: { since } });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ events: 4, cases: 1 });
    await r.waitFor((x) => x.accepted.length === 4, 20_000, 'the replay');
    expect(seqsOf(r.accepted)).toEqual([1, 2, 3, 4]);
  });

  test('secret rotation: during the overlap both secrets verify; after it only the new one', async () => {
    const { partnerId } = await newPartner();
    const r = await receiver();
    const { endpointId, secret: oldSecret } = await newEndpoint(partnerId, r);
    const caseId = newCaseId();
    await recordEvents(caseId, 1, 1, [partnerId]);
    await r.waitFor((x) => x.accepted.length === 1);
    expect(r.accepted[0].verifiedBy).toEqual([0]);
    expect(r.accepted[0].signatures).toHaveLength(1);

    const rotated = await h.http('POST', `/api/v1/partners/${partnerId}/endpoints/${endpointId}/rotate-secret`, {
      token: admin,
      body: { overlapSeconds: 3 },
    });
    expect(rotated.status).toBe(201);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(Date.parse(rotated.body.previousValidUntil)).toBeGreaterThan(Date.now());
    r.secrets.push(newSecret); // index 1

    await recordEvents(caseId, 2, 2, [partnerId]);
    await r.waitFor((x) => x.accepted.length === 2);
    // Both signatures are sent, space-separated; a receiver holding either secret accepts the delivery.
    expect(r.accepted[1].signatures).toHaveLength(2);
    expect(r.accepted[1].verifiedBy).toEqual([0, 1]);

    await new Promise((res) => setTimeout(res, Date.parse(rotated.body.previousValidUntil) - Date.now() + 200));
    await recordEvents(caseId, 3, 3, [partnerId]);
    await r.waitFor((x) => x.accepted.length === 3);
    expect(r.accepted[2].signatures).toHaveLength(1);
    expect(r.accepted[2].verifiedBy).toEqual([1]);
  });

  test('ordering: 50 events of one case arrive strictly in seq order despite 500s and timeouts', async () => {
    const { partnerId, apiKey } = await newPartner();
    const r = await receiver();
    const { endpointId } = await newEndpoint(partnerId, r);
    // First attempts fail: every third seq with 500, every tenth hangs past the timeout.
    r.decide = ({ seq, tries }) => (tries > 0 ? undefined : seq % 10 === 0 ? { hang: true } : seq % 3 === 0 ? { status: 500 } : undefined);
    const caseId = newCaseId();
    for (let seq = 1; seq <= 50; seq++) await recordEvents(caseId, seq, seq, [partnerId]);

    await r.waitFor((x) => x.accepted.length >= 50, 60_000, '50 deliveries');
    expect(seqsOf(r.accepted)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Strictly ordered: no event was ever sent before its predecessor had been acknowledged.
    const firstSeen = new Map<number, number>();
    r.received.forEach((d, i) => firstSeen.set(d.body.data.seq, firstSeen.get(d.body.data.seq) ?? i));
    const ackedAt = new Map(r.received.map((d, i) => [d.body.data.seq, i] as const).filter(([, i]) => r.received[i].answered === 204));
    for (let seq = 2; seq <= 50; seq++) expect(firstSeen.get(seq)!).toBeGreaterThan(ackedAt.get(seq - 1)!);
    expect(r.received.filter((d) => d.answered === 500)).toHaveLength(15);
    expect(r.received.filter((d) => d.answered === 'hang')).toHaveLength(5);

    const log = await eventually(() => deliveries(partnerId, apiKey, '?limit=200'), (l) => l.length === 50 && l.every((d) => d.status === 'delivered'));
    expect(log.filter((d) => d.attempts.length === 2)).toHaveLength(20);
    // 50 events at 20 per run: the delivery workflow continued as new.
    const runs = await eventually(
      async () => {
        const statuses: string[] = [];
        for await (const w of h.temporal.workflow.list({ query: `WorkflowId = '${deliveryWorkflowId(endpointId, caseId)}'` })) statuses.push(w.status.name);
        return statuses;
      },
      (s) => s.filter((x) => x === 'CONTINUED_AS_NEW').length >= 2,
      20_000,
      'continue-as-new runs',
    );
    expect(runs.filter((x) => x === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
  });

  test('distinct events never share a webhook-id, across cases and endpoints', async () => {
    const a = await newPartner();
    const b = await newPartner();
    const ra = await receiver();
    const rb = await receiver();
    const { endpointId: endpointA } = await newEndpoint(a.partnerId, ra);
    await newEndpoint(b.partnerId, rb);
    const case1 = newCaseId();
    const case2 = newCaseId();
    await recordEvents(case1, 1, 5, [a.partnerId, b.partnerId]);
    await recordEvents(case2, 1, 5, [a.partnerId, b.partnerId]);

    await ra.waitFor((x) => x.accepted.length === 10);
    await rb.waitFor((x) => x.accepted.length === 10);
    const ids = [...ra.accepted, ...rb.accepted].map((d) => d.webhookId);
    expect(new Set(ids).size).toBe(20);
    // A fan-out retried after its signals went out but before they were recorded signals only what is still
    // pending: nothing delivered is sent again.
    await h.pool.query('UPDATE webhook_deliveries SET signalled_at = NULL WHERE case_id = $1', [case1]);
    await dispatch(case1, 5);
    await new Promise((res) => setTimeout(res, 500));
    expect(ra.received).toHaveLength(10);
    // An attempt whose 2xx was never recorded (the worker died) is sent again: at least once, with the same id.
    await h.pool.query(
      `UPDATE webhook_deliveries SET status = 'pending', signalled_at = NULL WHERE case_id = $1 AND seq = 5 AND endpoint_id = $2`,
      [case1, endpointA],
    );
    await dispatch(case1, 5);
    await ra.waitFor((x) => x.accepted.length === 11, 20_000, 'the resent event');
    const resent = ra.accepted[10];
    expect(resent.body.data).toEqual(expect.objectContaining({ caseId: case1, seq: 5 }));
    expect(resent.webhookId).toBe(ra.accepted.find((d) => d.body.data.caseId === case1 && d.body.data.seq === 5)!.webhookId);
    expect(new Set([...ra.accepted, ...rb.accepted].map((d) => d.webhookId)).size).toBe(20);
  });

  test("a stopped or hanging endpoint does not delay another partner's deliveries", async () => {
    const stopped = await newPartner();
    const hanging = await newPartner();
    const healthy = await newPartner();
    const rs = await receiver();
    const rh = await receiver();
    const ok = await receiver();
    await newEndpoint(stopped.partnerId, rs);
    await newEndpoint(hanging.partnerId, rh);
    await newEndpoint(healthy.partnerId, ok);
    await rs.stop();
    rh.respond({ hang: true });
    const caseId = newCaseId();
    const partners = [stopped.partnerId, hanging.partnerId, healthy.partnerId];

    for (let seq = 1; seq <= 5; seq++) await recordEvents(caseId, seq, seq, partners);
    await ok.waitFor((x) => x.accepted.length === 5, 10_000, 'the healthy partner');
    // All five reached the healthy partner while the others were still retrying their first event
    // (each takes about 2.4 s of retries to give up; a hanging attempt alone takes the 1 s timeout).
    const { rows } = await h.pool.query<{ partner_id: string; status: string }>(
      'SELECT partner_id, status FROM webhook_deliveries WHERE case_id = $1 AND seq = 1',
      [caseId],
    );
    const statusOf = (p: string) => rows.find((x) => x.partner_id === p)?.status;
    expect(statusOf(stopped.partnerId)).toBe('pending');
    expect(statusOf(hanging.partnerId)).toBe('pending');
    expect(seqsOf(ok.accepted)).toEqual([1, 2, 3, 4, 5]);
    expect(rh.accepted).toHaveLength(0);
    expect(rs.received).toHaveLength(0);
  });
});

describe('delivery log access', () => {
  test("a partner reads only its own deliveries; another partner's log is 404; admins and auditors read any", async () => {
    const a = await newPartner();
    const b = await newPartner();
    const ra = await receiver();
    const rb = await receiver();
    await newEndpoint(a.partnerId, ra);
    await newEndpoint(b.partnerId, rb);
    const caseA = newCaseId();
    const caseB = newCaseId();
    await recordEvents(caseA, 1, 1, [a.partnerId]);
    await recordEvents(caseB, 1, 1, [b.partnerId]);
    await ra.waitFor((x) => x.accepted.length === 1);
    await rb.waitFor((x) => x.accepted.length === 1);

    const own = await deliveries(a.partnerId, a.apiKey);
    expect(own.map((d) => d.caseId)).toEqual([caseA]);
    const other = await h.http('GET', `/api/v1/partners/${b.partnerId}/deliveries`, { token: a.apiKey });
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(caseB);
    const unknown = await h.http('GET', '/api/v1/partners/wh-does-not-exist/deliveries', { token: a.apiKey });
    expect(unknown.status).toBe(404);
    expect(other.body.detail).toBe(unknown.body.detail);

    expect((await deliveries(b.partnerId, await h.token(EMAIL.auditor))).map((d) => d.caseId)).toEqual([caseB]);
    expect((await deliveries(b.partnerId, admin)).map((d) => d.caseId)).toEqual([caseB]);
    const caseworker = await h.http('GET', `/api/v1/partners/${b.partnerId}/deliveries`, { token: await h.token(EMAIL.caseworker) });
    expect(caseworker.status).toBe(403);
    // Partners cannot manage endpoints, not even their own.
    const selfManage = await h.http('GET', `/api/v1/partners/${a.partnerId}/endpoints`, { token: a.apiKey });
    expect(selfManage.status).toBe(403);
  });

  test('paging through the log with the cursor lists every delivery once', async () => {
    const p = await newPartner();
    const r = await receiver();
    await newEndpoint(p.partnerId, r);
    const caseId = newCaseId();
    await recordEvents(caseId, 1, 7, [p.partnerId]);
    await r.waitFor((x) => x.accepted.length === 7);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { seq: number }[]; nextCursor: string | null } } = await h.http(
        'GET',
        `/api/v1/partners/${p.partnerId}/deliveries?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token: p.apiKey },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((d) => d.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('case assignment and partner callbacks', () => {
  test('a supervisor assigns a case to a partner; other partners still cannot see or act on it', async () => {
    const a = await newPartner();
    const b = await newPartner();
    // A real case: assignment goes through its workflow.
    const caseId = await new Journey(h).open({ programmeId: 'test-calm', partnerIds: [a.partnerId] });

    expect((await h.http('GET', `/api/v1/cases/${caseId}`, { token: a.apiKey })).status).toBe(200);
    expect((await h.http('GET', `/api/v1/cases/${caseId}`, { token: b.apiKey })).status).toBe(404);
    const act = await h.http('POST', `/api/v1/cases/${caseId}/actions/confirm_arrival`, { token: b.apiKey, body: {} });
    expect(act.status).toBe(404);

    const caseworker = await h.http('POST', `/api/v1/cases/${caseId}/partners`, { token: await h.token(EMAIL.caseworker), body: { partnerId: b.partnerId } });
    expect(caseworker.status).toBe(403);
    const unknownPartner = await h.http('POST', `/api/v1/cases/${caseId}/partners`, { token: admin, body: { partnerId: 'wh-nobody' } });
    expect(unknownPartner.status).toBe(422);
    const assigned = await h.http('POST', `/api/v1/cases/${caseId}/partners`, { token: await h.token(EMAIL.supervisor), body: { partnerId: b.partnerId } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.partnerIds).toEqual([a.partnerId, b.partnerId]);
    expect((await h.http('GET', `/api/v1/cases/${caseId}`, { token: b.apiKey })).status).toBe(200);
    // The demo partners were not assigned: still invisible to them.
    expect((await h.http('GET', `/api/v1/cases/${caseId}`, { token: PARTNER_KEY.iom })).status).toBe(404);
    // The assignment is the workflow's: a later transition keeps it, and the audit log and timeline show it.
    await new Journey(h).act(caseId, 'confirm_intake', 'caseworker');
    expect((await h.http('GET', `/api/v1/cases/${caseId}`, { token: b.apiKey })).status).toBe(200);
    const audit = await h.pool.query(`SELECT actor_role FROM audit_log WHERE case_id = $1 AND action = 'case.partner_assigned'`, [caseId]);
    expect(audit.rows).toEqual([{ actor_role: 'supervisor' }]);
    const again = await h.http('POST', `/api/v1/cases/${caseId}/partners`, { token: admin, body: { partnerId: b.partnerId } });
    expect(again.body.partnerIds).toEqual([a.partnerId, b.partnerId]);
  });

  test('a partner callback on a real case: the assigned partner reaches the workflow, another gets 404', async () => {
    const a = await newPartner();
    const b = await newPartner();
    const opened = await h.http('POST', '/api/v1/cases', {
      token: await h.token(EMAIL.caseworker),
      body: {
        programmeId: 'test-fast',
        countryOfReturn: 'SN',
        nationality: 'SN',
        office: 'roma',
        referringBody: 'sai',
        principal: { givenName: `Test${crypto.randomBytes(4).toString('hex')}`, familyName: 'Webhook', dateOfBirth: '1990-01-01' },
        dependants: [],
        vulnerabilities: [],
        medicalNeed: false,
        legalStatus: 'irregular',
        partnerIds: [a.partnerId],
      },
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId;
    // Confirming arrival at intake is not allowed now: the assigned partner's call reaches the workflow (409) ...
    const own = await h.http('POST', `/api/v1/cases/${caseId}/actions/confirm_arrival`, { token: a.apiKey, body: {} });
    expect(own.status).toBe(409);
    // ... while any other partner is told the case does not exist.
    const other = await h.http('POST', `/api/v1/cases/${caseId}/actions/confirm_arrival`, { token: b.apiKey, body: {} });
    expect(other.status).toBe(404);
    const report = await h.http('POST', `/api/v1/cases/${caseId}/actions/submit_monitoring_report`, { token: b.apiKey, body: {} });
    expect(report.status).toBe(404);
  });
});
