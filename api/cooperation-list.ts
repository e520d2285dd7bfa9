// The list of cooperation projects with filters and keyset pagination on (opened_at, project_id): each page
// continues strictly after the last row of the previous one, so a project is never listed twice or skipped.
import type { Pool } from 'pg';
import { z } from 'zod';
import { CountryCode } from '../workflows/domain/countries';
import { ProjectStage } from '../workflows/cooperation/domain/vocabulary';
import type { Principal } from './authz';
import { projectScope, projectSummary, type ProjectRow } from './cooperation-view';
import { decodeCursor, encodeCursor } from './cursor';

export const ProjectListQuery = z.strictObject({
  stage: ProjectStage.optional(),
  partner: z.string().max(64).optional(),
  country: CountryCode.optional(),
  escalated: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ProjectListQuery = z.infer<typeof ProjectListQuery>;


export async function listProjects(pool: Pool, p: Principal, q: ProjectListQuery) {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => where.push(sql(`$${params.push(value)}`));
  if (q.stage) add((n) => `stage = ${n}`, q.stage);
  if (q.partner) add((n) => `partner_id = ${n}`, q.partner);
  if (q.country) add((n) => `country = ${n}`, q.country);
  if (q.escalated === 'true') where.push('open_escalations > 0');
  if (q.escalated === 'false') where.push('open_escalations = 0');
  const scope = projectScope(p, params.length + 1);
  params.push(...scope.params);
  where.push(scope.sql);
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    params.push(c.v, c.id);
    where.push(`(opened_at, project_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(q.limit + 1);
  const { rows } = await pool.query<ProjectRow>(
    `SELECT * FROM cooperation_projects WHERE ${where.join(' AND ')} ORDER BY opened_at DESC, project_id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(projectSummary),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.opened_at.toISOString(), last.project_id) : null,
  };
}


