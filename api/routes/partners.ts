// Partner agencies: partners, their API keys and webhook endpoints (admins), redelivery, the delivery log
// (the partner itself, admins, auditors), and assigning a case to a partner.
import crypto from 'node:crypto';
import { z } from 'zod';
import { createEndpoint, EndpointScope, findEndpoint, listEndpoints, rotateSecret, updateEndpoint } from '../../activities/webhooks/endpoints';
import { decodeCursor, deliveryLog, DeliveryLogPage, DeliveryLogQuery } from '../../activities/webhooks/delivery-log';
import { redeliver } from '../../activities/webhooks/redeliver';
import { loadWebhookSettings, webhookTaskQueue } from '../../activities/webhooks/settings';
import { inTransaction } from '../../db/pool';
import { WebhookEventType } from '../../activities/webhooks/event-types';
import { newApiKey } from '../auth';
import { findVisibleCase } from '../case-view';
import type { AppDeps } from '../deps';
import { notFound, Problem } from '../problem';
import { endpoint, type Api } from '../route';
import { ProblemSchema } from '../schemas';
import { assignPartnerUpdate } from '../../workflows/case/messages';

export const PARTNER_KINDS = ['iom_mission', 'ngo', 'prefettura', 'questura', 'sai_operator', 'cooperation_partner'] as const;

const PartnerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and dashes');
const PartnerParams = z.object({ id: PartnerId });
const EndpointParams = z.object({ id: PartnerId, endpointId: z.string().regex(/^ep_[0-9a-f]{24}$/, 'not an endpoint ID') });
const KeyParams = z.object({ id: PartnerId, keyId: z.string().regex(/^[\w-]{1,80}$/, 'not a key ID') });
const CaseParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a case ID') });

const Partner = z.object({ partnerId: PartnerId, name: z.string(), kind: z.enum(PARTNER_KINDS), createdAt: z.string() });
const NewPartner = z.strictObject({ partnerId: PartnerId, name: z.string().trim().min(1).max(200), kind: z.enum(PARTNER_KINDS) });
const ApiKey = z.object({ keyId: z.string(), prefix: z.string(), createdAt: z.string(), revokedAt: z.string().optional() });
const IssuedApiKey = ApiKey.extend({ apiKey: z.string().describe('Shown once; only its hash is stored') });
const Endpoint = z.object({
  endpointId: z.string(),
  partnerId: z.string(),
  url: z.string(),
  eventTypes: z.array(WebhookEventType),
  scope: EndpointScope,
  enabled: z.boolean(),
  disabledReason: z.string().optional(),
  disabledAt: z.string().optional(),
  createdAt: z.string(),
});
const SigningSecret = z.string().describe('whsec_ + base64 of 32 random bytes; shown once');
const Redelivery = z.union([
  z.strictObject({ caseId: CaseParams.shape.id, seq: z.number().int().positive() }),
  z.strictObject({ since: z.iso.datetime({ offset: true }) }),
]);
const MAX_OVERLAP_SECONDS = 30 * 24 * 3600;

const json = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { 'application/json': { schema } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });

export function partnerRoutes(api: Api, deps: AppDeps): void {
  const settings = loadWebhookSettings();
  const fanoutDeps = {
    pool: deps.pool,
    client: deps.temporal,
    taskQueue: webhookTaskQueue(settings, deps.config.TEMPORAL_TASK_QUEUE),
    policy: settings.policy,
  };
  // Receivers must be reachable over TLS in production; plain http is for local development and tests.
  const protocols = deps.config.NODE_ENV === 'production' ? ['https:'] : ['https:', 'http:'];
  const Url = z
    .url()
    .max(2000)
    .refine((u) => protocols.includes(new URL(u).protocol), `the URL must use ${protocols.join(' or ')}`)
    .refine((u) => !new URL(u).username && !new URL(u).password, 'the URL must not carry credentials');
  const NewEndpoint = z.strictObject({ url: Url, eventTypes: z.array(WebhookEventType).min(1), scope: EndpointScope });
  const EndpointChange = z.strictObject({
    url: Url.optional(),
    eventTypes: z.array(WebhookEventType).min(1).optional(),
    scope: EndpointScope.optional(),
    enabled: z.boolean().optional(),
  });

  async function assertPartner(partnerId: string): Promise<void> {
    const { rowCount } = await deps.pool.query('SELECT 1 FROM partners WHERE partner_id = $1', [partnerId]);
    if (!rowCount) throw notFound('partner');
  }
  function assertKnownProgrammes(scope: EndpointScope | undefined): void {
    const unknown = scope?.kind === 'programmes' ? scope.programmes.filter((p) => !deps.programmes.has(p)) : [];
    if (unknown.length) {
      throw new Problem(422, 'Unprocessable Content', 'Unknown programme', {
        errors: unknown.map((p) => ({ path: 'body.scope.programmes', message: `no programme "${p}"` })),
      }, 'validation-failed');
    }
  }

  endpoint(api, {
    method: 'post',
    path: '/partners',
    summary: 'Register a partner agency',
    tags: ['partners'],
    permission: 'partner.manage',
    body: NewPartner,
    responses: { 201: json('The partner', Partner), 409: problem('A partner with that ID exists'), 422: problem('Invalid body') },
    handler: async ({ res, body }) => {
      const { rows } = await deps.pool.query(
        'INSERT INTO partners (partner_id, name, kind) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING created_at',
        [body.partnerId, body.name, body.kind],
      );
      if (!rows[0]) throw new Problem(409, 'Conflict', 'A partner with that ID already exists', {}, 'partner-exists');
      res.status(201).location(`${api.basePath}/partners/${body.partnerId}`).json({ ...body, createdAt: rows[0].created_at.toISOString() });
    },
  });

  endpoint(api, {
    method: 'get',
    path: '/partners',
    summary: 'List partner agencies',
    tags: ['partners'],
    permission: 'partner.manage',
    responses: { 200: json('Partners', z.object({ items: z.array(Partner) })) },
    handler: async ({ res }) => {
      const { rows } = await deps.pool.query('SELECT partner_id, name, kind, created_at FROM partners ORDER BY partner_id');
      res.json({ items: rows.map((r) => ({ partnerId: r.partner_id, name: r.name, kind: r.kind, createdAt: r.created_at.toISOString() })) });
    },
  });

  endpoint(api, {
    method: 'post',
    path: '/partners/:id/api-keys',
    summary: 'Issue an API key for a partner (shown once)',
    tags: ['partners'],
    permission: 'partner.manage',
    params: PartnerParams,
    responses: { 201: json('The new key', IssuedApiKey), 404: problem('No such partner') },
    handler: async ({ res, params }) => {
      await assertPartner(params.id);
      res.status(201).json(await issueKey(params.id));
    },
  });

  endpoint(api, {
    method: 'get',
    path: '/partners/:id/api-keys',
    summary: "A partner's API keys (prefixes only)",
    tags: ['partners'],
    permission: 'partner.manage',
    params: PartnerParams,
    responses: { 200: json('Keys', z.object({ items: z.array(ApiKey) })), 404: problem('No such partner') },
    handler: async ({ res, params }) => {
      await assertPartner(params.id);
      const { rows } = await deps.pool.query(
        'SELECT key_id, prefix, created_at, revoked_at FROM partner_api_keys WHERE partner_id = $1 ORDER BY created_at, key_id',
        [params.id],
      );
      res.json({ items: rows.map(keyView) });
    },
  });

  endpoint(api, {
    method: 'post',
    path: '/partners/:id/api-keys/:keyId/rotate',
    summary: 'Rotate an API key: a new key is issued; the old one keeps working for 24 hours, so the partner can switch without downtime',
    tags: ['partners'],
    permission: 'partner.manage',
    params: KeyParams,
    responses: { 201: json('The new key', IssuedApiKey), 404: problem('No such active key') },
    handler: async ({ res, params }) => {
      const issued = await inTransaction(deps.pool, async (client) => {
        const { rowCount } = await client.query(
          `UPDATE partner_api_keys SET revoked_at = now() + interval '24 hours' WHERE partner_id = $1 AND key_id = $2 AND revoked_at IS NULL`,
          [params.id, params.keyId],
        );
        if (!rowCount) throw notFound('active API key');
        return issueKey(params.id, client);
      });
      res.status(201).json(issued);
    },
  });

  endpoint(api, {
    method: 'delete',
    path: '/partners/:id/api-keys/:keyId',
    summary: 'Revoke an API key',
    tags: ['partners'],
    permission: 'partner.manage',
    params: KeyParams,
    responses: { 204: { description: 'Revoked' }, 404: problem('No such active key') },
    handler: async ({ res, params }) => {
      const { rowCount } = await deps.pool.query(
        'UPDATE partner_api_keys SET revoked_at = now() WHERE partner_id = $1 AND key_id = $2 AND revoked_at IS NULL',
        [params.id, params.keyId],
      );
      if (!rowCount) throw notFound('active API key');
      res.status(204).end();
    },
  });

  endpoint(api, {
    method: 'post',
    path: '/partners/:id/endpoints',
    summary: 'Register a webhook endpoint; its signing secret is returned once',
    tags: ['webhooks'],
    permission: 'partner.manage',
    params: PartnerParams,
    body: NewEndpoint,
    responses: {
      201: json('The endpoint and its signing secret', Endpoint.extend({ secret: SigningSecret })),
      404: problem('No such partner'),
      422: problem('Invalid body'),
    },
    handler: async ({ res, params, body }) => {
      await assertPartner(params.id);
      assertKnownProgrammes(body.scope);
      const { endpoint: created, secret } = await createEndpoint(deps.pool, deps.keys, { partnerId: params.id, ...body });
      res.status(201).location(`${api.basePath}/partners/${params.id}/endpoints/${created.endpointId}`).json({ ...created, secret });
    },
  });

  endpoint(api, {
    method: 'get',
    path: '/partners/:id/endpoints',
    summary: "A partner's webhook endpoints",
    tags: ['webhooks'],
    permission: 'partner.manage',
    params: PartnerParams,
    responses: { 200: json('Endpoints', z.object({ items: z.array(Endpoint) })), 404: problem('No such partner') },
    handler: async ({ res, params }) => {
      await assertPartner(params.id);
      res.json({ items: await listEndpoints(deps.pool, params.id) });
    },
  });

  endpoint(api, {
    method: 'patch',
    path: '/partners/:id/endpoints/:endpointId',
    summary: 'Change an endpoint: URL, event types, scope; enabled=true re-enables one disabled by 410 Gone',
    tags: ['webhooks'],
    permission: 'partner.manage',
    params: EndpointParams,
    body: EndpointChange,
    responses: { 200: json('The endpoint', Endpoint), 404: problem('No such endpoint'), 422: problem('Invalid body') },
    handler: async ({ res, params, body }) => {
      assertKnownProgrammes(body.scope);
      const changed = await updateEndpoint(deps.pool, params.id, params.endpointId, body);
      if (!changed) throw notFound('endpoint');
      res.json(changed);
    },
  });

  endpoint(api, {
    method: 'post',
    path: '/partners/:id/endpoints/:endpointId/rotate-secret',
    summary: 'Rotate the signing secret; old and new both sign until the overlap ends (default 24 h)',
    tags: ['webhooks'],
    permission: 'partner.manage',
    params: EndpointParams,
    body: z.strictObject({ overlapSeconds: z.number().int().min(0).max(MAX_OVERLAP_SECONDS).default(86_400) }),
    responses: {
      201: json('The new secret', z.object({ secret: SigningSecret, previousValidUntil: z.string() })),
      404: problem('No such endpoint'),
    },
    handler: async ({ res, params, body }) => {
      if (!(await findEndpoint(deps.pool, params.id, params.endpointId))) throw notFound('endpoint');
      res.status(201).json(await rotateSecret(deps.pool, deps.keys, params.endpointId, body.overlapSeconds));
    },
  });

  endpoint(api, {
    method: 'post',
    path: '/partners/:id/endpoints/:endpointId/redeliver',
    summary: 'Replay one event ({caseId, seq}) or every event since a time ({since}) to this endpoint, in order per case',
    tags: ['webhooks'],
    permission: 'partner.manage',
    params: EndpointParams,
    body: Redelivery,
    responses: {
      202: json('Queued', z.object({ events: z.number().int(), cases: z.number().int() })),
      404: problem('No such endpoint, or no such event for it'),
      409: problem('The endpoint is disabled; enable it first'),
    },
    handler: async ({ res, params, body }) => {
      const ep = await findEndpoint(deps.pool, params.id, params.endpointId);
      if (!ep) throw notFound('endpoint');
      if (!ep.enabled) throw new Problem(409, 'Conflict', 'The endpoint is disabled; enable it (PATCH enabled=true) before redelivering', {}, 'endpoint-disabled');
      const queued = await redeliver(fanoutDeps, ep.endpointId, body);
      if ('seq' in body && queued.events === 0) throw notFound('event for this endpoint');
      res.status(202).json(queued);
    },
  });

  endpoint(api, {
    method: 'get',
    path: '/partners/:id/deliveries',
    summary: 'Delivery log: each delivery with its attempts (time, status code, latency, error). Partners see only their own.',
    tags: ['webhooks'],
    permission: 'partner.deliveries',
    params: PartnerParams,
    query: DeliveryLogQuery,
    responses: { 200: json('One page of deliveries, newest first', DeliveryLogPage), 404: problem('No such partner visible to you') },
    handler: async ({ req, res, params, query }) => {
      const p = req.principal!;
      // Another partner's log looks exactly like a partner that does not exist.
      if (p.role === 'partner' && p.partnerId !== params.id) throw notFound('partner');
      await assertPartner(params.id);
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (query.cursor && !after) throw new Problem(422, 'Unprocessable Content', 'The cursor is invalid', {}, 'validation-failed');
      res.json(await deliveryLog(deps.pool, params.id, query, after));
    },
  });

  endpoint(api, {
    method: 'post',
    path: '/cases/:id/partners',
    summary: 'Assign a case to a partner: it then sees the case, acts on it, and gets its "assigned" webhooks',
    tags: ['partners'],
    permission: 'case.assign_partner',
    params: CaseParams,
    body: z.strictObject({ partnerId: PartnerId }),
    responses: {
      200: json('The case\'s partners', z.object({ caseId: z.string(), partnerIds: z.array(z.string()) })),
      403: problem('Only supervisors and admins assign partners'),
      404: problem('No such case in your scope'),
      422: problem('No such partner'),
    },
    handler: async ({ req, res, params, body }) => {
      const p = req.principal!;
      const row = await findVisibleCase(deps.pool, p, params.id);
      if (!row) throw notFound();
      const known = await deps.pool.query('SELECT 1 FROM partners WHERE partner_id = $1', [body.partnerId]);
      if (!known.rowCount) {
        throw new Problem(422, 'Unprocessable Content', 'Unknown partner', { errors: [{ path: 'body.partnerId', message: 'no such partner' }] }, 'validation-failed');
      }
      // Through the workflow, so the state, the projection, the search attributes and the audit log agree.
      const state = await deps.temporal.workflow.getHandle(params.id).executeUpdate(assignPartnerUpdate, {
        args: [{ partnerId: body.partnerId, actor: { userId: p.userId, role: p.role }, requestId: String(req.id ?? '') }],
      });
      res.json({ caseId: params.id, partnerIds: state.partnerIds });
    },
  });

  async function issueKey(partnerId: string, client: Pick<typeof deps.pool, 'query'> = deps.pool) {
    const key = newApiKey();
    const keyId = `key_${crypto.randomBytes(8).toString('hex')}`;
    const { rows } = await client.query(
      'INSERT INTO partner_api_keys (key_id, partner_id, prefix, key_hash) VALUES ($1,$2,$3,$4) RETURNING key_id, prefix, created_at, revoked_at',
      [keyId, partnerId, key.prefix, key.hash],
    );
    return { ...keyView(rows[0]), apiKey: key.apiKey };
  }
}

function keyView(r: { key_id: string; prefix: string; created_at: Date; revoked_at: Date | null }) {
  return { keyId: r.key_id, prefix: r.prefix, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() };
}
