// How long return takes: days from the application (lodged with the Prefettura) to departure, and from
// departure to the last monitoring report of a case whose every checkpoint is reported. Median and 90th
// percentile by percentile_cont (interpolated), each over the cases whose interval ended in the period.
import type { Pool } from 'pg';
import { countCell, days, statCell, type Row } from './cells';
import type { Figure } from './figure';
import type { ReportFilter } from './query';

interface Stats {
  n: number;
  median: number | null;
  p90: number | null;
}

const STATS = `count(*)::int AS n,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90`;

async function applicationToDeparture(pool: Pool, filter: ReportFilter): Promise<Stats> {
  const f = filter('departed_at');
  const { rows } = await pool.query<Stats>(
    `SELECT ${STATS} FROM (
       SELECT extract(epoch FROM departed_at - (summary #>> '{application,lodgedAt}')::timestamptz) / 86400 AS days
       FROM cases
       WHERE departed_at IS NOT NULL AND summary #>> '{application,lodgedAt}' IS NOT NULL
         AND ${f.where} AND ${f.period}) d`,
    f.params,
  );
  return rows[0];
}

async function departureToLastReport(pool: Pool, filter: ReportFilter): Promise<Stats> {
  const f = filter('last_report');
  // A case counts once monitoring is over: every checkpoint reported, the last report ending the interval.
  const { rows } = await pool.query<Stats>(
    `SELECT ${STATS} FROM (
       SELECT extract(epoch FROM last_report - departed_at) / 86400 AS days FROM (
         SELECT c.departed_at, max((cp ->> 'reportedAt')::timestamptz) AS last_report, bool_and(cp ? 'reportedAt') AS complete
         FROM (SELECT * FROM cases WHERE departed_at IS NOT NULL AND ${f.where}) c,
              jsonb_array_elements(c.summary -> 'checkpoints') cp
         GROUP BY c.case_id, c.departed_at) r
       WHERE complete AND ${f.period}) d`,
    f.params,
  );
  return rows[0];
}

function cells(interval: string, s: Stats): Row[] {
  const dims = { interval };
  return [
    countCell(dims, 'cases', s.n),
    statCell(dims, 'median_days', days(s.median), s.n),
    statCell(dims, 'p90_days', days(s.p90), s.n),
  ];
}

export const durations: Figure = {
  name: 'durations',
  title: 'Median and 90th-percentile days from application to departure, and from departure to the last monitoring report',
  period: 'the day the interval ended (departure, or the last monitoring report)',
  dimensions: ['interval'],
  measures: ['cases', 'median_days', 'p90_days'],
  async compute(pool, filter) {
    const [a, b] = await Promise.all([applicationToDeparture(pool, filter), departureToLastReport(pool, filter)]);
    return [...cells('application_to_departure', a), ...cells('departure_to_last_report', b)];
  },
};
