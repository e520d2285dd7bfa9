// List and search over the read model with keyset pagination: each page continues strictly after the
// last row of the previous one, so a case is listed exactly once even while new ones are being created.
import type { Pool } from 'pg';
import { z } from 'zod';
import { Stage } from '../workflows/domain/vocabulary';
import { scopeClause } from './case-view';
import type { Principal } from './authz';
import { decodeCursor, encodeCursor } from './cursor';

const SORTS = {
  '-openedAt': { column: 'opened_at', dir: 'DESC' },
  openedAt: { column: 'opened_at', dir: 'ASC' },
  nextDeadline: { column: 'next_deadline', dir: 'ASC' },
  '-updatedAt': { column: 'updated_at', dir: 'DESC' },
} as const;

export const ListQuery = z.strictObject({
  stage: Stage.optional(),
  programme: z.string().max(64).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code').optional(),
  office: z.string().max(64).optional(),
  assignee: z.string().max(128).optional(),
  escalated: z.enum(['true', 'false']).optional(),
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]]).default('-openedAt'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;


export async function listCases(pool: Pool, p: Principal, q: ListQuery) {
  const sort = SORTS[q.sort];
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (q.stage) add((n) => `stage = ${n}`, q.stage);
  if (q.programme) add((n) => `programme_id = ${n}`, q.programme);
  if (q.country) add((n) => `country = ${n}`, q.country);
  if (q.office) add((n) => `office = ${n}`, q.office);
  if (q.assignee) add((n) => `assignee = ${n}`, q.assignee);
  if (q.escalated === 'true') where.push('open_escalations > 0');
  if (q.escalated === 'false') where.push('open_escalations = 0');
  const scope = scopeClause(p, params.length + 1);
  params.push(...scope.params);
  where.push(scope.sql);

  // NULL deadlines sort last; the cursor compares a COALESCEd key so NULLs page correctly too.
  const key = sort.column === 'next_deadline' ? `COALESCE(next_deadline, 'infinity'::timestamptz)` : sort.column;
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    const op = sort.dir === 'DESC' ? '<' : '>';
    params.push(c.v ?? 'infinity', c.id);
    where.push(`(${key}, case_id) ${op} ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(q.limit + 1);
  const { rows } = await pool.query<{ item: string; case_id: string; sort_key: Date | number }>(
    `SELECT ${LIST_ITEM}::text AS item, case_id, ${key} AS sort_key FROM cases WHERE ${where.join(' AND ')}
     ORDER BY ${key} ${sort.dir}, case_id ${sort.dir} LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit && last ? encodeCursor(sortKeyString(last.sort_key), last.case_id) : null;
  return { json: `{"items":[${page.map((r) => r.item).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}` };
}

/**
 * One list item, built by Postgres as JSON text that the API passes through unparsed: a page of 200 rows would
 * otherwise be parsed from jsonb and serialised again in the API's one thread. It is caseSummaryView's shape (the
 * summary, overlaid with the columns, absent where null) without the timeline and never with the personal part:
 * lists show no personal data, even to roles that may open it, since one click further is an audited read.
 */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const LIST_ITEM = `((summary - ARRAY['timeline', 'caseId', 'programmeId', 'country', 'office', 'stage', 'outcome', 'assignee',
    'partnerIds', 'openEscalations', 'nextDeadline', 'openedAt', 'updatedAt', 'closedAt', 'seq'])
  || jsonb_strip_nulls(jsonb_build_object('caseId', case_id, 'programmeId', programme_id, 'country', country,
    'office', office, 'stage', stage, 'outcome', outcome, 'assignee', assignee, 'partnerIds', partner_ids,
    'openEscalations', open_escalations, 'nextDeadline', ${iso('next_deadline')}, 'openedAt', ${iso('opened_at')},
    'updatedAt', ${iso('updated_at')}, 'closedAt', ${iso('closed_at')}, 'seq', last_seq)))`;

/** The cursor's sort key; null for a case without a deadline ('infinity', which pg gives as the number Infinity). */
function sortKeyString(v: Date | number): string | null {
  return v instanceof Date && Number.isFinite(v.getTime()) ? v.toISOString() : null;
}


