// Reading cases from the Postgres read model, within the caller's scope, with field-level rules.
// Out-of-scope cases look exactly like missing ones (404), so their existence is not revealed.
import type { Pool } from 'pg';
import { can, type Principal } from './authz';
import type { KeyStore } from '../common/crypto/key-store';
import { openPersonal } from '../common/crypto/personal';

export interface CaseRow {
  case_id: string;
  programme_id: string;
  country: string;
  office: string;
  stage: string;
  outcome: string | null;
  assignee: string | null;
  partner_ids: string[];
  open_escalations: number;
  next_deadline: Date | null;
  opened_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  last_seq: number;
  summary: Record<string, unknown>;
  personal: Record<string, unknown> | null;
}

/** SQL condition (and its parameters) limiting rows to what the principal may see. */
export function scopeClause(p: Principal, firstParam: number): { sql: string; params: unknown[] } {
  if (p.role === 'partner') return { sql: `$${firstParam} = ANY(partner_ids)`, params: [p.partnerId ?? '\u0000'] };
  if ((p.role === 'caseworker' || p.role === 'supervisor') && p.office) return { sql: `office = $${firstParam}`, params: [p.office] };
  return { sql: 'TRUE', params: [] };
}

export async function findVisibleCase(pool: Pool, p: Principal, caseId: string): Promise<CaseRow | undefined> {
  const scope = scopeClause(p, 2);
  const { rows } = await pool.query<CaseRow>(`SELECT * FROM cases WHERE case_id = $1 AND ${scope.sql}`, [caseId, ...scope.params]);
  return rows[0];
}

const HEALTH_FIELDS = ['vulnerabilities', 'medicalNeed', 'fitness'];

/** The JSON a list shows: the non-personal summary only. */
export function caseSummaryView(row: CaseRow): Record<string, unknown> {
  const view: Record<string, unknown> = {
    ...row.summary,
    caseId: row.case_id,
    programmeId: row.programme_id,
    country: row.country,
    office: row.office,
    stage: row.stage,
    outcome: row.outcome ?? undefined,
    assignee: row.assignee ?? undefined,
    partnerIds: row.partner_ids,
    openEscalations: row.open_escalations,
    nextDeadline: row.next_deadline?.toISOString(),
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at?.toISOString(),
    seq: row.last_seq,
  };
  return view;
}

/**
 * The JSON a client sees for one case: the summary, plus the personal part (unsealed with the case's key)
 * only for roles allowed it, without health details for roles not allowed those.
 */
export async function caseView(row: CaseRow, p: Principal, keys: KeyStore): Promise<Record<string, unknown>> {
  const view = caseSummaryView(row);
  if (!can(p.role, 'case.read_personal')) return view;
  const personal = await openPersonal(keys, row.case_id, row.personal);
  if (!personal) return view;
  if (!can(p.role, 'case.read_health')) for (const f of HEALTH_FIELDS) delete personal[f];
  return { ...view, personal };
}
