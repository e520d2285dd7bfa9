// Departures per calendar month (UTC), by programme and country of return.
import { countCell } from './cells';
import type { Figure } from './figure';

export const departuresByMonth: Figure = {
  name: 'departures-by-month',
  title: 'Departures per month, by programme and country of return',
  period: 'the day of departure',
  dimensions: ['month', 'programme', 'country'],
  measures: ['departures'],
  async compute(pool, filter) {
    const f = filter('departed_at');
    const { rows } = await pool.query<{ month: string; programme: string; country: string; n: number }>(
      `SELECT to_char(departed_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, programme_id AS programme, country, count(*)::int AS n
       FROM cases WHERE departed_at IS NOT NULL AND ${f.where} AND ${f.period}
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      f.params,
    );
    return rows.map((r) => countCell({ month: r.month, programme: r.programme, country: r.country }, 'departures', r.n));
  },
};
