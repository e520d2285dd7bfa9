// Redelivery: replays one event, or every event since a time, to one endpoint. Events are matched against the
// endpoint's current subscription (so events missed while it was disabled are included), set pending again and
// handed to the per-case delivery workflows, which keep them in seq order with anything else queued.
import { inTransaction } from '../../db/pool';
import { ENDPOINT_WANTS_EVENT, insertDeliveries, signalPending, type FanoutDeps, type RoutedEvent } from './fanout';

export type RedeliveryTarget = { caseId: string; seq: number } | { since: string };

const SIGNAL_CONCURRENCY = 16;

export async function redeliver(deps: FanoutDeps, endpointId: string, target: RedeliveryTarget): Promise<{ events: number; cases: number }> {
  const [filter, params] =
    'since' in target ? ['o.created_at >= $2', [target.since]] : ['o.case_id = $2 AND o.seq = $3', [target.caseId, target.seq]];
  const routed = await inTransaction(deps.pool, async (client) => {
    const { rows } = await client.query<RoutedEvent>(
      `SELECT e.endpoint_id, e.partner_id, o.case_id, o.seq, o.event_type
       FROM webhook_endpoints e JOIN webhook_outbox o ON ${filter} JOIN webhook_subjects c ON c.case_id = o.case_id
       WHERE e.endpoint_id = $1 AND ${ENDPOINT_WANTS_EVENT}`,
      [endpointId, ...params],
    );
    await insertDeliveries(client, rows, 'replay');
    return rows;
  });
  const cases = [...new Set(routed.map((r) => r.case_id))];
  for (let i = 0; i < cases.length; i += SIGNAL_CONCURRENCY) {
    await Promise.all(cases.slice(i, i + SIGNAL_CONCURRENCY).map((c) => signalPending(deps, c)));
  }
  return { events: routed.length, cases: cases.length };
}
