// Fan-out: routes outbox events to the endpoints that subscribe to them (one delivery row per event and endpoint),
// then signals each endpoint's per-case delivery workflow. Every step is idempotent, so the activity can be retried:
// an event is routed once (outbox.dispatched_at), and a delivery is signalled until its signal is recorded.
import type { Client } from '@temporalio/client';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../../db/pool';
import { webhookDeliveryWorkflow } from '../../workflows/webhooks/delivery';
import { deliveryWorkflowId, webhookEventsSignal, type DeliveryPolicy } from '../../workflows/webhooks/messages';
import { webhookId } from './signing';

export interface FanoutDeps {
  pool: Pool;
  client: Client;
  taskQueue: string;
  policy: DeliveryPolicy;
}

/**
 * Whether endpoint `e` wants outbox event `o` of subject `c` (a case or a project, db webhook_subjects): its event
 * type, and the subject within its scope (a project has no programme, so a programme scope never matches it).
 * The case's current programme, country and partners decide (cases is updated in the event's own transaction).
 */
export const ENDPOINT_WANTS_EVENT = `o.event_type = ANY(e.event_types) AND CASE e.scope_kind
    WHEN 'programmes' THEN c.programme_id = ANY(e.scope_values)
    WHEN 'countries' THEN c.country = ANY(e.scope_values)
    ELSE e.partner_id = ANY(c.partner_ids) END`;

export interface RoutedEvent {
  endpoint_id: string;
  partner_id: string;
  case_id: string;
  seq: number;
  event_type: string;
}

/** Routes the case's events up to `seq` not routed yet (a transition may record several), then signals. */
export async function fanOut(deps: FanoutDeps, args: { caseId: string; seq: number }): Promise<{ signalled: number }> {
  await inTransaction(deps.pool, async (client) => {
    const { rows } = await client.query<RoutedEvent>(
      `WITH events AS (
         UPDATE webhook_outbox SET dispatched_at = now()
         WHERE case_id = $1 AND seq <= $2 AND dispatched_at IS NULL
         RETURNING case_id, seq, event_type)
       SELECT e.endpoint_id, e.partner_id, o.case_id, o.seq, o.event_type
       FROM events o JOIN webhook_subjects c ON c.case_id = o.case_id JOIN webhook_endpoints e ON e.enabled AND ${ENDPOINT_WANTS_EVENT}`,
      [args.caseId, args.seq],
    );
    await insertDeliveries(client, rows, 'keep');
  });
  return signalPending(deps, args.caseId);
}

/**
 * Inserts delivery rows. 'keep' leaves an existing delivery alone (a retried fan-out);
 * 'replay' sets it pending again and resolves its dead letter (a redelivery).
 */
export async function insertDeliveries(client: PoolClient, rows: RoutedEvent[], onExisting: 'keep' | 'replay'): Promise<void> {
  if (!rows.length) return;
  const conflict =
    onExisting === 'keep'
      ? 'DO NOTHING'
      : `DO UPDATE SET status = 'pending', signalled_at = NULL, delivered_at = NULL`;
  await client.query(
    `INSERT INTO webhook_deliveries (delivery_id, endpoint_id, partner_id, case_id, seq, event_type)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
     ON CONFLICT (delivery_id) ${conflict}`,
    [
      rows.map((r) => webhookId(r.case_id, r.seq, r.endpoint_id)),
      rows.map((r) => r.endpoint_id),
      rows.map((r) => r.partner_id),
      rows.map((r) => r.case_id),
      rows.map((r) => r.seq),
      rows.map((r) => r.event_type),
    ],
  );
  if (onExisting === 'replay') {
    await client.query(
      'UPDATE webhook_dead_letters SET resolved_at = now() WHERE resolved_at IS NULL AND delivery_id = ANY($1)',
      [rows.map((r) => webhookId(r.case_id, r.seq, r.endpoint_id))],
    );
  }
}

/** Signals every endpoint of the case that has pending deliveries not yet signalled; starts its workflow if needed. */
export async function signalPending(deps: FanoutDeps, caseId: string): Promise<{ signalled: number }> {
  const { rows } = await deps.pool.query<{ endpoint_id: string; seqs: number[] }>(
    `SELECT endpoint_id, array_agg(seq ORDER BY seq) AS seqs FROM webhook_deliveries
     WHERE case_id = $1 AND signalled_at IS NULL AND status = 'pending' GROUP BY endpoint_id`,
    [caseId],
  );
  await Promise.all(
    rows.map(async ({ endpoint_id: endpointId, seqs }) => {
      await deps.client.workflow.signalWithStart(webhookDeliveryWorkflow, {
        workflowId: deliveryWorkflowId(endpointId, caseId),
        taskQueue: deps.taskQueue,
        args: [{ endpointId, caseId, policy: deps.policy }],
        signal: webhookEventsSignal,
        signalArgs: [{ seqs }],
      });
      await deps.pool.query(
        'UPDATE webhook_deliveries SET signalled_at = now() WHERE endpoint_id = $1 AND case_id = $2 AND seq = ANY($3)',
        [endpointId, caseId, seqs],
      );
    }),
  );
  return { signalled: rows.reduce((n, r) => n + r.seqs.length, 0) };
}
