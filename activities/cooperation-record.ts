// The one write path of a project transition, as for a case (record-transition.ts): event log, audit
// chain, webhook outbox, read model and tranche payment orders in ONE transaction, idempotent on
// (project_id, seq). Project events share case_events and audit_log with cases (keyed by the project ID),
// so the audit tools verify a project's chain against its events exactly as a case's.
import type { Pool, PoolClient } from 'pg';
import { lockCase } from '../db/audit';
import { appendEvents } from './event-log';
import { inTransaction } from '../db/pool';
import type { RecordedProjectEvent, ProjectTransitionRecord } from '../workflows/cooperation/records';

export async function recordProjectTransition(pool: Pool, rec: ProjectTransitionRecord): Promise<{ inserted: number }> {
  return inTransaction(pool, async (client) => {
    await lockCase(client, rec.projectId);
    const { timeline: _timeline, ...snapshot } = rec.projection.summary;
    const inserted = await appendEvents(client, rec.projectId, rec.events, {
      snapshot,
      actionType: 'project.action',
      payload: (ev) => thinPayload(rec, ev),
    });
    await upsertProjection(client, rec);
    for (const e of rec.effects) {
      // A released tranche is a payment order, keyed like a case's so a retry never pays twice.
      await client.query(
        `INSERT INTO payments (case_id, payment_id, kind, due_when, amount) VALUES ($1, $2, 'cooperation_tranche', 'milestone', $3)
         ON CONFLICT DO NOTHING`,
        [rec.projectId, `tranche:${e.trancheId}`, e.amount],
      );
    }
    return { inserted };
  });
}


/**
 * Thin webhook payload, shaped like a case's (caseId carries the subject's ID) so one dispatcher delivers
 * both; the partner fetches details with its own key. Never the staff's free-text reason.
 */
function thinPayload(rec: ProjectTransitionRecord, ev: RecordedProjectEvent): Record<string, unknown> {
  return {
    type: ev.type,
    caseId: rec.projectId,
    projectId: rec.projectId,
    seq: ev.seq,
    occurredAt: ev.at,
    stage: ev.stageAfter,
    previousStage: ev.stageBefore,
    action: ev.action,
    partnerId: rec.projection.partnerId,
    country: rec.projection.country,
    data: ev.data,
  };
}

async function upsertProjection(client: PoolClient, rec: ProjectTransitionRecord): Promise<void> {
  const p = rec.projection;
  // Only a newer sequence may overwrite the row: a late retry of an older transition is a no-op.
  await client.query(
    `INSERT INTO cooperation_projects (project_id, title, partner_id, country, municipality, funder, stage, outcome, budget,
       released, slots, slots_used, open_escalations, next_deadline, opened_at, updated_at, closed_at, last_seq, summary)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,now(),$16,$17,$18)
     ON CONFLICT (project_id) DO UPDATE SET
       stage = EXCLUDED.stage, outcome = EXCLUDED.outcome, released = EXCLUDED.released, slots_used = EXCLUDED.slots_used,
       open_escalations = EXCLUDED.open_escalations, next_deadline = EXCLUDED.next_deadline, updated_at = now(),
       closed_at = EXCLUDED.closed_at, last_seq = EXCLUDED.last_seq, summary = EXCLUDED.summary
     WHERE cooperation_projects.last_seq < EXCLUDED.last_seq`,
    [p.projectId, p.title, p.partnerId, p.country, p.municipality, p.funder ?? null, p.stage, p.outcome ?? null, p.budget,
      p.released, p.slots, p.slotsUsed, p.openEscalations, p.nextDeadline ?? null, p.openedAt, p.closedAt ?? null, p.lastSeq, p.summary],
  );
}
