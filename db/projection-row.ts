// Writes one row of the `cases` read model. Transitions write only a newer sequence (a late retry of an
// older one or of the same one is a no-op) and keep the sealed personal part unless they bring one; a rebuild replaces the row.
import type { Pool, PoolClient } from 'pg';
import type { ProjectionRow } from '../workflows/case/records';
import type { SealedPersonal } from '../common/crypto/personal';

export type WriteMode = 'newer-only' | 'replace';

export async function writeProjection(client: Pool | PoolClient, p: ProjectionRow, personal: SealedPersonal | null, mode: WriteMode): Promise<void> {
  const onConflict =
    mode === 'replace'
      ? `programme_id = EXCLUDED.programme_id, country = EXCLUDED.country, office = EXCLUDED.office, opened_at = EXCLUDED.opened_at,
         ${COMMON_UPDATES}, personal = EXCLUDED.personal`
      : `${COMMON_UPDATES}, personal = COALESCE(EXCLUDED.personal, cases.personal) WHERE cases.last_seq < EXCLUDED.last_seq`;
  await client.query(
    `INSERT INTO cases (case_id, programme_id, country, office, stage, outcome, assignee, partner_ids, open_escalations,
       next_deadline, opened_at, updated_at, closed_at, departed_at, last_seq, summary, personal, pending_roles)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,now(),$12,$13,$14,$15,$16,$17)
     ON CONFLICT (case_id) DO UPDATE SET ${onConflict}`,
    [p.caseId, p.programmeId, p.country, p.office, p.stage, p.outcome ?? null, p.assignee ?? null, p.partnerIds,
      p.openEscalations, p.nextDeadline ?? null, p.openedAt, p.closedAt ?? null, p.departedAt ?? null, p.lastSeq,
      p.summary, personal, p.pendingRoles ?? []],
  );
}

const COMMON_UPDATES = `stage = EXCLUDED.stage, outcome = EXCLUDED.outcome, assignee = EXCLUDED.assignee,
  partner_ids = EXCLUDED.partner_ids, open_escalations = EXCLUDED.open_escalations, next_deadline = EXCLUDED.next_deadline,
  updated_at = now(), closed_at = EXCLUDED.closed_at, departed_at = EXCLUDED.departed_at, last_seq = EXCLUDED.last_seq,
  summary = EXCLUDED.summary, pending_roles = EXCLUDED.pending_roles`;
