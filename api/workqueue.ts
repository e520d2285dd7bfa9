// Workqueues from the read model: the cases waiting on an action the caller's role may take (`waiting`) and the
// open cases assigned to the caller (`mine`), soonest deadline first. Rows and counts are built from one WHERE
// clause (queueSql), so a queue's counts always equal its rows.
import type { Pool } from 'pg';
import { z } from 'zod';
import { isAwaited } from '../workflows/case/pending-roles';
import type { AllowedAction } from '../workflows/domain/transitions';
import { Stage } from '../workflows/domain/vocabulary';
import type { Principal } from './authz';
import { scopeClause } from './case-view';
import { decodeCursor, encodeCursor } from './cursor';

export const QUEUES = ['waiting', 'mine'] as const;
export type Queue = (typeof QUEUES)[number];
export const DUE = ['overdue', 'due_soon'] as const;
export type Due = (typeof DUE)[number];

export const QueueFilters = z.strictObject({
  stage: Stage.optional(),
  programme: z.string().max(64).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code').optional(),
  office: z.string().max(64).optional(),
  due: z.enum(DUE).optional().describe('Only overdue cases, or only those due soon'),
  dueSoonHours: z.coerce.number().int().min(1).max(24 * 90).default(48).describe('How close a deadline must be to count as due soon'),
});
export type QueueFilters = z.infer<typeof QueueFilters>;

export const QueueQuery = QueueFilters.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export interface QueueCounts {
  total: number;
  overdue: number;
  dueSoon: number;
}

interface QueueSql {
  where: string;
  /** SQL expression: 'overdue', 'due_soon' or NULL for a row. */
  due: string;
  params: unknown[];
}

/** The one definition of a queue: which rows belong to it and how each is marked, as of `now`. */
export function queueSql(p: Principal, queue: Queue, f: QueueFilters, now: Date): QueueSql {
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  const soon = new Date(now.getTime() + f.dueSoonHours * 3_600_000);
  // Overdue the way tick escalates: a deadline at or before now has been missed.
  const due = `CASE WHEN next_deadline <= ${param(now.toISOString())}::timestamptz THEN 'overdue'
    WHEN next_deadline <= ${param(soon.toISOString())}::timestamptz THEN 'due_soon' END`;
  const where =
    queue === 'waiting'
      ? [`pending_roles @> ARRAY[${param(p.role)}]::text[]`]
      : [`assignee = ${param(p.userId)}`, `stage NOT IN ('closed', 'erased')`];
  if (f.stage) where.push(`stage = ${param(f.stage)}`);
  if (f.programme) where.push(`programme_id = ${param(f.programme)}`);
  if (f.country) where.push(`country = ${param(f.country)}`);
  if (f.office) where.push(`office = ${param(f.office)}`);
  if (f.due) where.push(`(${due}) = ${param(f.due)}`);
  const scope = scopeClause(p, params.length + 1);
  params.push(...scope.params);
  where.push(scope.sql);
  return { where: where.join(' AND '), due, params };
}

export async function queueCounts(pool: Pool, p: Principal, queue: Queue, f: QueueFilters, now: Date): Promise<QueueCounts> {
  const q = queueSql(p, queue, f, now);
  const { rows } = await pool.query<QueueCounts>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE due = 'overdue')::int AS overdue,
            count(*) FILTER (WHERE due = 'due_soon')::int AS "dueSoon"
     FROM (SELECT ${q.due} AS due FROM cases WHERE ${q.where}) queue`,
    q.params,
  );
  return rows[0];
}

interface QueueRow {
  case_id: string;
  programme_id: string;
  country: string;
  office: string;
  stage: Stage;
  assignee: string | null;
  open_escalations: number;
  next_deadline: Date | null;
  opened_at: Date;
  pending_actions: AllowedAction[] | null;
  due: Due | null;
}

export async function queuePage(pool: Pool, p: Principal, queue: Queue, query: QueueQuery, now: Date) {
  const q = queueSql(p, queue, query, now);
  // NULL deadlines sort last; the cursor compares the same COALESCEd key so they page correctly too.
  const key = `COALESCE(next_deadline, 'infinity'::timestamptz)`;
  const params = [...q.params];
  let after = '';
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    params.push(c.v ?? 'infinity', c.id);
    after = ` AND (${key}, case_id) > ($${params.length - 1}::timestamptz, $${params.length})`;
  }
  params.push(query.limit + 1);
  const { rows } = await pool.query<QueueRow>(
    `SELECT case_id, programme_id, country, office, stage, assignee, open_escalations, next_deadline, opened_at,
            summary -> 'pendingActions' AS pending_actions, ${q.due} AS due
     FROM cases WHERE ${q.where}${after}
     ORDER BY ${key}, case_id LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => queueItem(r, p)),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.next_deadline?.toISOString() ?? null, last.case_id) : null,
  };
}

/** What a queue row shows: where the case stands and what the caller can do on it now. Never personal data. */
function queueItem(r: QueueRow, p: Principal) {
  return {
    caseId: r.case_id,
    programmeId: r.programme_id,
    country: r.country,
    office: r.office,
    stage: r.stage,
    assignee: r.assignee ?? undefined,
    openEscalations: r.open_escalations,
    nextDeadline: r.next_deadline?.toISOString(),
    openedAt: r.opened_at.toISOString(),
    due: r.due,
    actions: (r.pending_actions ?? []).filter((a) => a.roles.includes(p.role) && isAwaited(a.action, r.stage)).map((a) => a.action),
  };
}



