// The delivery log a partner (or an admin or auditor) reads: each delivery with its attempts and dead letter.
// Keyset-paginated, newest first. Carries status codes, latencies and error text, never response bodies.
import type { Pool } from 'pg';
import { z } from 'zod';

export const DeliveryLogQuery = z.strictObject({
  endpointId: z.string().max(100).optional(),
  caseId: z.string().max(100).optional(),
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type DeliveryLogQuery = z.infer<typeof DeliveryLogQuery>;

export const DeliveryLogEntry = z.object({
  webhookId: z.string(),
  endpointId: z.string(),
  caseId: z.string(),
  seq: z.number().int(),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'dead']),
  createdAt: z.string(),
  deliveredAt: z.string().optional(),
  deadLetter: z.object({ reason: z.string(), at: z.string(), resolvedAt: z.string().optional() }).optional(),
  attempts: z.array(
    z.object({
      attempt: z.number().int(),
      at: z.string(),
      statusCode: z.number().int().optional(),
      latencyMs: z.number().int(),
      error: z.string().optional(),
    }),
  ),
});
export type DeliveryLogEntry = z.infer<typeof DeliveryLogEntry>;
export const DeliveryLogPage = z.object({ items: z.array(DeliveryLogEntry), nextCursor: z.string().nullable() });

interface Row {
  delivery_id: string;
  endpoint_id: string;
  case_id: string;
  seq: number;
  event_type: string;
  status: DeliveryLogEntry['status'];
  created_at: Date;
  cursor_at: string;
  delivered_at: Date | null;
  dl_reason: string | null;
  dl_at: Date | null;
  dl_resolved_at: Date | null;
}

/** Undefined when the cursor is not one this API issued. */
export function decodeCursor(cursor: string): { at: string; id: string } | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)) ? { at, id } : undefined;
  } catch {
    return undefined;
  }
}

export async function deliveryLog(pool: Pool, partnerId: string, q: DeliveryLogQuery, after?: { at: string; id: string }) {
  const where = ['d.partner_id = $1'];
  const params: unknown[] = [partnerId];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (q.endpointId) where.push(`d.endpoint_id = ${param(q.endpointId)}`);
  if (q.caseId) where.push(`d.case_id = ${param(q.caseId)}`);
  if (q.status) where.push(`d.status = ${param(q.status)}`);
  if (after) where.push(`(d.created_at, d.delivery_id) < (${param(after.at)}::timestamptz, ${param(after.id)})`);
  const { rows } = await pool.query<Row>(
    `SELECT d.*, to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
       l.reason AS dl_reason, l.dead_at AS dl_at, l.resolved_at AS dl_resolved_at
     FROM webhook_deliveries d LEFT JOIN webhook_dead_letters l ON l.delivery_id = d.delivery_id
     WHERE ${where.join(' AND ')} ORDER BY d.created_at DESC, d.delivery_id DESC LIMIT ${q.limit + 1}`,
    params,
  );
  const page = rows.slice(0, q.limit);
  const attempts = await pool.query<{ delivery_id: string; attempt_no: number; attempted_at: Date; status_code: number | null; latency_ms: number; error: string | null }>(
    'SELECT * FROM webhook_attempts WHERE delivery_id = ANY($1) ORDER BY delivery_id, attempt_no',
    [page.map((r) => r.delivery_id)],
  );
  const byDelivery = new Map<string, DeliveryLogEntry['attempts']>();
  for (const a of attempts.rows) {
    const list = byDelivery.get(a.delivery_id) ?? [];
    list.push({
      attempt: a.attempt_no,
      at: a.attempted_at.toISOString(),
      statusCode: a.status_code ?? undefined,
      latencyMs: a.latency_ms,
      error: a.error ?? undefined,
    });
    byDelivery.set(a.delivery_id, list);
  }
  const items: DeliveryLogEntry[] = page.map((r) => ({
    webhookId: r.delivery_id,
    endpointId: r.endpoint_id,
    caseId: r.case_id,
    seq: r.seq,
    eventType: r.event_type,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    deliveredAt: r.delivered_at?.toISOString(),
    deadLetter: r.dl_reason
      ? { reason: r.dl_reason, at: r.dl_at!.toISOString(), resolvedAt: r.dl_resolved_at?.toISOString() }
      : undefined,
    attempts: byDelivery.get(r.delivery_id) ?? [],
  }));
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.cursor_at, last.delivery_id])).toString('base64url') : null;
  return { items, nextCursor };
}
