// Appends a subject's (a case's or a project's) numbered events to the event log, each with its audit entry
// and its webhook outbox row. Idempotent on (subject, seq): a retried activity appends nothing twice.
// Call inside the transition's transaction, after lockCase.
import type { PoolClient } from 'pg';
import { appendAudit } from '../db/audit';

export interface LoggedEvent {
  seq: number;
  at: string;
  type: string;
  stageBefore: string;
  stageAfter: string;
  action?: string;
  actor?: { userId: string; role: string };
  reason?: string;
  requestId?: string;
  data: Record<string, unknown>;
}

export async function appendEvents<E extends LoggedEvent>(
  client: PoolClient,
  subjectId: string,
  events: readonly E[],
  opts: {
    /** The non-personal state the transition left, kept with each event for "state as of" an entry. */
    snapshot: Record<string, unknown>;
    /** The event type that stands for a human step: its audit entry is named after the action. */
    actionType: string;
    /** The thin webhook payload of an event. */
    payload: (ev: E) => Record<string, unknown>;
  },
): Promise<number> {
  let inserted = 0;
  for (const ev of events) {
    const res = await client.query(
      `INSERT INTO case_events (case_id, seq, type, stage_before, stage_after, action, actor_id, actor_role, reason, data, occurred_at, snapshot)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (case_id, seq) DO NOTHING`,
      [subjectId, ev.seq, ev.type, ev.stageBefore, ev.stageAfter, ev.action ?? null, ev.actor?.userId ?? null,
        ev.actor?.role ?? null, ev.reason ?? null, ev.data, ev.at, opts.snapshot],
    );
    if (res.rowCount !== 1) continue;
    inserted++;
    await appendAudit(client, {
      caseId: subjectId,
      kind: 'transition',
      eventSeq: ev.seq,
      actorId: ev.actor?.userId ?? 'system',
      actorRole: ev.actor?.role ?? 'system',
      action: ev.type === opts.actionType && ev.action ? ev.action : ev.type,
      reason: ev.reason,
      stageBefore: ev.stageBefore,
      stageAfter: ev.stageAfter,
      requestId: ev.requestId,
      occurredAt: ev.at,
    });
    await client.query(
      `INSERT INTO webhook_outbox (case_id, seq, event_type, payload) VALUES ($1, $2, $3, $4) ON CONFLICT (case_id, seq) DO NOTHING`,
      [subjectId, ev.seq, ev.type, opts.payload(ev)],
    );
  }
  return inserted;
}
