// Writes one row of the `cases` read model.
// - 'transition' (the worker): the workflow's row is authoritative. It replaces a row of the same or an older
//   sequence (a late attempt of an older transition is a no-op) and keeps the sealed personal part unless it
//   brings one.
// - 'opening' (the API, right after a start): only if there is no row yet; the worker's first transition then
//   writes the same row again, so any difference (a worker on older code) is the workflow's.
// - 'replace' (a rebuild): replaces the row.
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { ProjectionRow } from '../workflows/case/records';
import type { SealedPersonal } from '../common/crypto/personal';

export type WriteMode = 'transition' | 'opening' | 'replace';

/** Returns the row as written by an 'opening' write (undefined where a row was there already). */
export async function writeProjection<Row extends QueryResultRow = QueryResultRow>(
  client: Pool | PoolClient, p: ProjectionRow, personal: SealedPersonal | null, mode: WriteMode,
): Promise<Row | undefined> {
  const onConflict = {
    replace: `DO UPDATE SET programme_id = EXCLUDED.programme_id, country = EXCLUDED.country, office = EXCLUDED.office,
      ${COMMON_UPDATES}, personal = EXCLUDED.personal`,
    transition: `DO UPDATE SET ${COMMON_UPDATES}, personal = COALESCE(EXCLUDED.personal, cases.personal)
      WHERE cases.last_seq <= EXCLUDED.last_seq`,
    opening: 'DO NOTHING',
  }[mode];
  const { rows } = await client.query<Row>(
    `INSERT INTO cases (case_id, programme_id, country, office, stage, outcome, assignee, partner_ids, open_escalations,
       next_deadline, opened_at, updated_at, closed_at, departed_at, last_seq, summary, personal, pending_roles)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,now(),$12,$13,$14,$15,$16,$17)
     ON CONFLICT (case_id) ${onConflict} ${mode === 'opening' ? 'RETURNING *' : ''}`,
    [p.caseId, p.programmeId, p.country, p.office, p.stage, p.outcome ?? null, p.assignee ?? null, p.partnerIds,
      p.openEscalations, p.nextDeadline ?? null, p.openedAt, p.closedAt ?? null, p.departedAt ?? null, p.lastSeq,
      p.summary, personal, p.pendingRoles ?? []],
  );
  return rows[0];
}

const COMMON_UPDATES = `opened_at = EXCLUDED.opened_at, stage = EXCLUDED.stage, outcome = EXCLUDED.outcome, assignee = EXCLUDED.assignee,
  partner_ids = EXCLUDED.partner_ids, open_escalations = EXCLUDED.open_escalations, next_deadline = EXCLUDED.next_deadline,
  updated_at = now(), closed_at = EXCLUDED.closed_at, departed_at = EXCLUDED.departed_at, last_seq = EXCLUDED.last_seq,
  summary = EXCLUDED.summary, pending_roles = EXCLUDED.pending_roles`;
