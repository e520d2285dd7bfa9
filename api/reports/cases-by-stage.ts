// Cases per stage: where the cases opened in the period stand now.
import { STAGES } from '../../workflows/domain/vocabulary';
import { countCell } from './cells';
import type { Figure } from './figure';

export const casesByStage: Figure = {
  name: 'cases-by-stage',
  title: 'Cases per stage, for the cases opened in the period',
  period: 'the day the case was opened',
  dimensions: ['stage'],
  measures: ['cases'],
  async compute(pool, filter) {
    const f = filter('opened_at');
    const { rows } = await pool.query<{ stage: string; n: number }>(
      `SELECT stage, count(*)::int AS n FROM cases WHERE ${f.where} AND ${f.period} GROUP BY stage`,
      f.params,
    );
    const order = (s: string) => STAGES.indexOf(s as (typeof STAGES)[number]);
    return rows.sort((a, b) => order(a.stage) - order(b.stage)).map((r) => countCell({ stage: r.stage }, 'cases', r.n));
  },
};
