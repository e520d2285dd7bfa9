// The one write path of a transition: event log, audit chain, webhook outbox, read model and
// money/place effects in ONE transaction, idempotent on (case_id, seq) so a retry never doubles anything.
import type { Pool, PoolClient } from 'pg';
import { appendAudit, lockCase } from '../db/audit';
import { appendEvents } from './event-log';
import { inTransaction } from '../db/pool';
import type { RecordedEffect, RecordedEvent, TransitionRecord } from '../workflows/case/records';
import type { KeyStore } from '../common/crypto/key-store';
import { sealPersonal } from '../common/crypto/personal';
import { writeProjection } from '../db/projection-row';

export async function recordTransition(pool: Pool, keys: KeyStore, rec: TransitionRecord): Promise<{ inserted: number }> {
  // Sealed before the transaction: creating the case's key is its own idempotent write.
  const personal = rec.personal ? await sealPersonal(keys, rec.caseId, rec.personal) : null;
  const erasing = rec.effects.some((e) => e.type === 'erase');
  const result = await inTransaction(pool, async (client) => {
    await lockCase(client, rec.caseId);
    const inserted = await appendEvents(client, rec.caseId, rec.events, {
      snapshot: snapshotOf(rec),
      actionType: 'case.action',
      payload: (ev) => thinPayload(rec, ev),
    });
    await writeProjection(client, rec.projection, personal, 'transition');
    for (const effect of rec.effects) await applyEffect(client, rec.caseId, effect, rec.projection.partnerIds);
    return { inserted };
  });
  if (erasing) keys.forget(rec.caseId);
  return result;
}


/**
 * The non-personal state this transition left, kept with each of its events for "state as of" an audit entry.
 * The timeline is left out: it grows with every event (quadratic storage) and the history already holds it.
 */
function snapshotOf(rec: TransitionRecord): Record<string, unknown> {
  const { timeline: _timeline, ...summary } = rec.projection.summary;
  return { ...summary, stage: rec.projection.stage, seq: rec.projection.lastSeq };
}

/** Thin webhook payload: what happened, to which case, at which stage; partners fetch details with their own key. */
function thinPayload(rec: TransitionRecord, ev: RecordedEvent): Record<string, unknown> {
  return {
    type: ev.type,
    caseId: rec.caseId,
    seq: ev.seq,
    occurredAt: ev.at,
    stage: ev.stageAfter,
    previousStage: ev.stageBefore,
    action: ev.action,
    programmeId: rec.projection.programmeId,
    country: rec.projection.country,
    data: ev.data,
  };
}


async function applyEffect(client: PoolClient, caseId: string, effect: RecordedEffect, partnerIds: string[]): Promise<void> {
  switch (effect.type) {
    case 'release_place':
      await client.query('UPDATE place_reservations SET released_at = now() WHERE case_id = $1 AND released_at IS NULL', [caseId]);
      return;
    case 'stop_payments':
      await client.query(`UPDATE payments SET status = 'cancelled' WHERE case_id = $1 AND status = 'ordered'`, [caseId]);
      return;
    case 'pay':
      await client.query(
        `INSERT INTO payments (case_id, payment_id, kind, due_when, amount) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`,
        [caseId, effect.paymentId, effect.kind, effect.when, effect.amount],
      );
      return;
    case 'erase':
      // Crypto-shredding: without its data key, every copy of the case's payloads (Temporal history,
      // backups) is unreadable. The audit log keeps a receipt with no personal data.
      await client.query('UPDATE cases SET personal = NULL WHERE case_id = $1', [caseId]);
      await client.query('DELETE FROM referral_fingerprints WHERE case_id = $1', [caseId]);
      await client.query('UPDATE case_keys SET wrapped = NULL, destroyed_at = now() WHERE owner_id = $1 AND destroyed_at IS NULL', [caseId]);
      await appendAudit(client, {
        caseId, kind: 'erasure', actorId: 'system', actorRole: 'system', action: 'erase_personal_data',
        reason: effect.reason === 'erasure_request_approved' ? 'erasure request approved' : 'retention period ended',
        stageBefore: 'closed', stageAfter: 'erased', occurredAt: new Date().toISOString(),
      });
      // Every partner that received the case must confirm it erased its copy too.
      await client.query(
        `INSERT INTO erasure_acks (case_id, partner_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
        [caseId, partnerIds],
      );
      return;
    // The booking lives in the workflow state (and so in the projection); its cancellation and the
    // partners' notice are events, already in the outbox above.
    case 'cancel_booking':
    case 'notify_partners':
      return;
  }
}
