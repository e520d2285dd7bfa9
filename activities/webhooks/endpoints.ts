// Partner endpoints and their signing secrets: what the partner API manages and what delivery reads.
import crypto from 'node:crypto';
import type { Pool } from 'pg';
import type { KeyStore } from '../../common/crypto/key-store';
import { z } from 'zod';
import { inTransaction } from '../../db/pool';
import { CountryCode } from '../../workflows/domain/countries';
import { WebhookEventType } from './event-types';
import { openSecret, sealSecret } from './secret-box';
import { newSigningSecret } from './signing';

/** Whose events an endpoint receives: some programmes, some countries of return, or the partner's assigned cases. */
export const EndpointScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('programmes'), programmes: z.array(z.string().min(1).max(100)).min(1).max(100) }),
  z.strictObject({ kind: z.literal('countries'), countries: z.array(CountryCode).min(1).max(250) }),
  z.strictObject({ kind: z.literal('assigned') }),
]);
export type EndpointScope = z.infer<typeof EndpointScope>;

export interface Endpoint {
  endpointId: string;
  partnerId: string;
  url: string;
  eventTypes: WebhookEventType[];
  scope: EndpointScope;
  enabled: boolean;
  disabledReason?: string;
  disabledAt?: string;
  createdAt: string;
}

interface EndpointRow {
  endpoint_id: string;
  partner_id: string;
  url: string;
  event_types: WebhookEventType[];
  scope_kind: EndpointScope['kind'];
  scope_values: string[];
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  created_at: Date;
}

function toEndpoint(r: EndpointRow): Endpoint {
  const scope: EndpointScope =
    r.scope_kind === 'programmes' ? { kind: 'programmes', programmes: r.scope_values }
      : r.scope_kind === 'countries' ? { kind: 'countries', countries: r.scope_values }
        : { kind: 'assigned' };
  return {
    endpointId: r.endpoint_id,
    partnerId: r.partner_id,
    url: r.url,
    eventTypes: r.event_types,
    scope,
    enabled: r.enabled,
    disabledReason: r.disabled_reason ?? undefined,
    disabledAt: r.disabled_at?.toISOString(),
    createdAt: r.created_at.toISOString(),
  };
}

function scopeValues(scope: EndpointScope): string[] {
  return scope.kind === 'programmes' ? scope.programmes : scope.kind === 'countries' ? scope.countries : [];
}

export interface NewEndpoint {
  partnerId: string;
  url: string;
  eventTypes: WebhookEventType[];
  scope: EndpointScope;
}

/** Creates the endpoint with its first secret; the secret is returned here and never again. */
export async function createEndpoint(pool: Pool, keys: KeyStore, e: NewEndpoint): Promise<{ endpoint: Endpoint; secret: string }> {
  const secret = newSigningSecret();
  const endpointId = `ep_${crypto.randomBytes(12).toString('hex')}`;
  const sealed = await sealSecret(keys, secret);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<EndpointRow>(
      `INSERT INTO webhook_endpoints (endpoint_id, partner_id, url, event_types, scope_kind, scope_values)
       VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`,
      [endpointId, e.partnerId, e.url, e.eventTypes, e.scope.kind, scopeValues(e.scope)],
    );
    await client.query('INSERT INTO webhook_secrets (endpoint_id, sealed) VALUES ($1, $2)', [endpointId, sealed]);
    return { endpoint: toEndpoint(rows[0]), secret };
  });
}

export async function listEndpoints(pool: Pool, partnerId: string): Promise<Endpoint[]> {
  const { rows } = await pool.query<EndpointRow>('SELECT * FROM webhook_endpoints WHERE partner_id = $1 ORDER BY created_at, endpoint_id', [partnerId]);
  return rows.map(toEndpoint);
}

export async function findEndpoint(pool: Pool, partnerId: string, endpointId: string): Promise<Endpoint | undefined> {
  const { rows } = await pool.query<EndpointRow>('SELECT * FROM webhook_endpoints WHERE partner_id = $1 AND endpoint_id = $2', [partnerId, endpointId]);
  return rows[0] && toEndpoint(rows[0]);
}

export interface EndpointChange {
  url?: string;
  eventTypes?: WebhookEventType[];
  scope?: EndpointScope;
  /** true re-enables an endpoint disabled by a 410; false pauses it (new events are not queued for it). */
  enabled?: boolean;
}

export async function updateEndpoint(pool: Pool, partnerId: string, endpointId: string, c: EndpointChange): Promise<Endpoint | undefined> {
  const { rows } = await pool.query<EndpointRow>(
    `UPDATE webhook_endpoints SET
       url = COALESCE($3, url),
       event_types = COALESCE($4, event_types),
       scope_kind = COALESCE($5, scope_kind),
       scope_values = COALESCE($6, scope_values),
       enabled = COALESCE($7, enabled),
       disabled_reason = CASE WHEN $7 IS NULL THEN disabled_reason WHEN $7 THEN NULL ELSE 'paused by an admin' END,
       disabled_at = CASE WHEN $7 IS NULL THEN disabled_at WHEN $7 THEN NULL ELSE now() END
     WHERE partner_id = $1 AND endpoint_id = $2 RETURNING *`,
    [partnerId, endpointId, c.url ?? null, c.eventTypes ?? null, c.scope?.kind ?? null, c.scope ? scopeValues(c.scope) : null, c.enabled ?? null],
  );
  return rows[0] && toEndpoint(rows[0]);
}

/**
 * A new secret that signs from now on; the secrets valid until now keep signing until `overlapSeconds` from now,
 * so receivers can switch at their pace (each delivery carries one signature per valid secret).
 */
export async function rotateSecret(
  pool: Pool,
  keys: KeyStore,
  endpointId: string,
  overlapSeconds: number,
): Promise<{ secret: string; previousValidUntil: string }> {
  const secret = newSigningSecret();
  const sealed = await sealSecret(keys, secret);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ until: Date }>(
      `UPDATE webhook_secrets SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + make_interval(secs => $2))
       WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > now())
       RETURNING expires_at AS until`,
      [endpointId, overlapSeconds],
    );
    await client.query('INSERT INTO webhook_secrets (endpoint_id, sealed) VALUES ($1, $2)', [endpointId, sealed]);
    const until = rows.reduce((max, r) => Math.max(max, r.until.getTime()), Date.now());
    return { secret, previousValidUntil: new Date(until).toISOString() };
  });
}

/** The secrets that sign a delivery now, newest first. */
export async function signingSecrets(pool: Pool, keys: KeyStore, endpointId: string): Promise<string[]> {
  const { rows } = await pool.query<{ sealed: string }>(
    `SELECT sealed FROM webhook_secrets WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > now())
     ORDER BY secret_id DESC`,
    [endpointId],
  );
  return Promise.all(rows.map((r) => openSecret(keys, r.sealed)));
}
