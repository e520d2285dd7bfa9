// The filters every figure takes, and the one place they become SQL: the caller's scope, programme, country,
// office, and a period applied to whichever instant the figure counts (opening, departure, report).
import { z } from 'zod';
import type { Principal } from '../authz';
import { scopeClause } from '../case-view';

const IsoDate = z.iso.date().describe('A calendar date, YYYY-MM-DD (UTC)');

export const ReportQuery = z
  .strictObject({
    from: IsoDate.optional().describe('First day of the period (inclusive)'),
    to: IsoDate.optional().describe('Last day of the period (inclusive)'),
    programme: z.string().max(64).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code').optional(),
    office: z.string().max(64).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });
export type ReportQuery = z.infer<typeof ReportQuery>;

export interface FilterSql {
  /** Conditions on `cases` columns (unqualified): scope, programme, country, office. */
  where: string;
  /** The period as a condition on the figure's instant; TRUE when no period is given. */
  period: string;
  params: unknown[];
  /** Adds a parameter of the figure's own and returns its placeholder. */
  param(value: unknown): string;
  query: ReportQuery;
}

/** Builds the filter's SQL afresh for each query (each has its own parameter list), the period on `instant`. */
export type ReportFilter = (instant?: string) => FilterSql;

export function reportFilter(p: Principal, q: ReportQuery): ReportFilter {
  return (instant) => {
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    if (q.programme) where.push(`programme_id = ${param(q.programme)}`);
    if (q.country) where.push(`country = ${param(q.country)}`);
    if (q.office) where.push(`office = ${param(q.office)}`);
    const scope = scopeClause(p, params.length + 1);
    params.push(...scope.params);
    where.push(scope.sql);
    const period: string[] = [];
    if (instant && q.from) period.push(`${instant} >= ${param(`${q.from}T00:00:00Z`)}::timestamptz`);
    // `to` is a whole day: everything before the next midnight (UTC) is in.
    if (instant && q.to) period.push(`${instant} < ${param(`${q.to}T00:00:00Z`)}::timestamptz + interval '1 day'`);
    return { where: where.join(' AND '), period: period.length ? period.join(' AND ') : 'TRUE', params, param, query: q };
  };
}
