// One HTTP attempt at one delivery: sign with every valid secret, POST, record the attempt (never the response
// body), and tell Temporal whether to retry: 2xx done, 410 Gone disables the endpoint, anything else retries.
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { KeyStore } from '../../common/crypto/key-store';
import { WEBHOOK_FAILED, WEBHOOK_GONE } from '../../workflows/webhooks/messages';
import { signingSecrets } from './endpoints';
import { webhookBody } from './payload';
import { signatureHeader, webhookId } from './signing';

export interface AttemptArgs {
  endpointId: string;
  caseId: string;
  seq: number;
  requestTimeoutMs: number;
}

export type AttemptOutcome = 'delivered' | 'skipped' | 'dead';

const USER_AGENT = 'avrr-webhooks/1';

export async function attemptDelivery(pool: Pool, keys: KeyStore, a: AttemptArgs): Promise<{ outcome: AttemptOutcome }> {
  const id = webhookId(a.caseId, a.seq, a.endpointId);
  const { rows } = await pool.query<{ status: string; url: string; enabled: boolean; payload: Record<string, unknown> }>(
    `SELECT d.status, e.url, e.enabled, o.payload FROM webhook_deliveries d
     JOIN webhook_endpoints e ON e.endpoint_id = d.endpoint_id
     JOIN webhook_outbox o ON o.case_id = d.case_id AND o.seq = d.seq
     WHERE d.delivery_id = $1`,
    [id],
  );
  const d = rows[0];
  // Already delivered or dead-lettered (a signal repeated by a retried fan-out), or nothing to send.
  if (!d || d.status !== 'pending') return { outcome: 'skipped' };
  if (!d.enabled) {
    await deadLetter(pool, { endpointId: a.endpointId, caseId: a.caseId, seq: a.seq, reason: 'endpoint disabled' });
    return { outcome: 'dead' };
  }
  const body = bodyOf(d.payload);
  const secrets = await signingSecrets(pool, keys, a.endpointId);
  if (!secrets.length) throw ApplicationFailure.create({ type: 'WEBHOOK_NO_SECRET', message: 'endpoint has no valid signing secret', nonRetryable: true });

  const timestamp = Math.floor(Date.now() / 1000);
  const attemptedAt = new Date();
  const started = performance.now();
  let statusCode: number | undefined;
  let error: string | undefined;
  const timeout = AbortSignal.timeout(a.requestTimeoutMs);
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, id, timestamp, body),
      },
      body,
      // A redirect is an answer we do not follow: the signed request went to the registered URL only.
      redirect: 'manual',
      signal: timeout,
    });
    statusCode = res.status;
    await res.body?.cancel().catch(() => undefined);
  } catch (err) {
    error = timeout.aborted ? `timed out after ${a.requestTimeoutMs} ms` : networkError(err);
  }
  const latencyMs = Math.round(performance.now() - started);
  const delivered = statusCode !== undefined && statusCode >= 200 && statusCode < 300;
  if (!delivered && !error) error = `HTTP ${statusCode}`;
  await recordAttempt(pool, { id, attemptedAt, statusCode, latencyMs, error, delivered });

  if (delivered) return { outcome: 'delivered' };
  if (statusCode === 410) {
    await disableEndpoint(pool, a.endpointId, 'answered 410 Gone');
    throw ApplicationFailure.create({ type: WEBHOOK_GONE, message: 'HTTP 410 Gone', nonRetryable: true });
  }
  throw ApplicationFailure.create({ type: WEBHOOK_FAILED, message: error! });
}

function bodyOf(payload: Record<string, unknown>): string {
  try {
    return webhookBody(payload);
  } catch {
    // Retrying cannot fix a malformed outbox row; dead-letter it and move on to the next event.
    throw ApplicationFailure.create({ type: 'WEBHOOK_BAD_PAYLOAD', message: 'outbox payload does not match the webhook schema', nonRetryable: true });
  }
}

/** A short, body-free description; the endpoint's address is already known from the endpoint itself. */
function networkError(err: unknown): string {
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return typeof code === 'string' ? `network error (${code})` : 'network error';
}

async function recordAttempt(
  pool: Pool,
  r: { id: string; attemptedAt: Date; statusCode?: number; latencyMs: number; error?: string; delivered: boolean },
): Promise<void> {
  // One statement: the attempt number and the delivery's status move together.
  await pool.query(
    `WITH d AS (
       UPDATE webhook_deliveries SET attempts = attempts + 1,
         status = CASE WHEN $6 THEN 'delivered' ELSE status END,
         delivered_at = CASE WHEN $6 THEN now() ELSE delivered_at END
       WHERE delivery_id = $1 RETURNING attempts)
     INSERT INTO webhook_attempts (delivery_id, attempt_no, attempted_at, status_code, latency_ms, error)
     SELECT $1, d.attempts, $2, $3, $4, $5 FROM d`,
    [r.id, r.attemptedAt, r.statusCode ?? null, r.latencyMs, r.error ?? null, r.delivered],
  );
}

export async function disableEndpoint(pool: Pool, endpointId: string, reason: string): Promise<void> {
  await pool.query(
    'UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = now() WHERE endpoint_id = $1 AND enabled',
    [endpointId, reason],
  );
}

/** Gives up on a delivery; idempotent, so a retried call records one dead letter. */
export async function deadLetter(pool: Pool, a: { endpointId: string; caseId: string; seq: number; reason: string }): Promise<void> {
  await pool.query(
    `WITH d AS (UPDATE webhook_deliveries SET status = 'dead' WHERE delivery_id = $1 AND status = 'pending' RETURNING delivery_id)
     INSERT INTO webhook_dead_letters (delivery_id, reason) SELECT delivery_id, $2 FROM d
     ON CONFLICT (delivery_id) DO UPDATE SET reason = EXCLUDED.reason, dead_at = now(), resolved_at = NULL`,
    [webhookId(a.caseId, a.seq, a.endpointId), a.reason],
  );
}
