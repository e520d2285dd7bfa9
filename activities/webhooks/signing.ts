// Standard Webhooks signing: whsec_ secrets, stable message IDs, and the v1 HMAC-SHA256 signature.
// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
import crypto from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A new signing secret: whsec_ + base64 of 32 random bytes. Shown once; stored sealed. */
export function newSigningSecret(): string {
  return SECRET_PREFIX + crypto.randomBytes(SECRET_BYTES).toString('base64');
}

/** `v1,` + base64(HMAC-SHA256(secret bytes, "id.timestamp.body")); the key is the base64 after `whsec_`. */
export function sign(secret: string, webhookId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const mac = crypto.createHmac('sha256', key).update(`${webhookId}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The webhook-signature header: one signature per valid secret, space-separated, so a rotation never breaks a receiver. */
export function signatureHeader(secrets: string[], webhookId: string, timestamp: number, body: string): string {
  return secrets.map((s) => sign(s, webhookId, timestamp, body)).join(' ');
}

/** The webhook-id of an event for an endpoint: the same on every retry and replay, so receivers can deduplicate. */
export function webhookId(caseId: string, seq: number, endpointId: string): string {
  const digest = crypto.createHash('sha256').update(`${caseId}_${seq}_${endpointId}`).digest('hex');
  return `msg_${digest.slice(0, 32)}`;
}
