// Open escalations (missed deadlines not yet resolved) by the stage the case is in now.
import { countCell, revealingCell, type Row } from './cells';
import type { Figure } from './figure';
import { STAGES } from '../../workflows/domain/vocabulary';

export const escalationsByStage: Figure = {
  name: 'escalations-by-stage',
  title: 'Open escalations by stage, for the cases opened in the period',
  period: 'the day the case was opened',
  dimensions: ['stage'],
  measures: ['cases', 'escalations'],
  async compute(pool, filter) {
    const f = filter('opened_at');
    const { rows } = await pool.query<{ stage: string; cases: number; escalations: number }>(
      `SELECT stage, count(*)::int AS cases, sum(open_escalations)::int AS escalations
       FROM cases WHERE open_escalations > 0 AND ${f.where} AND ${f.period} GROUP BY stage`,
      f.params,
    );
    const order = (s: string) => STAGES.indexOf(s as (typeof STAGES)[number]);
    return rows
      .sort((a, b) => order(a.stage) - order(b.stage))
      .flatMap((r): Row[] => [
        countCell({ stage: r.stage }, 'cases', r.cases),
        // A handful of cases' escalations would point at those cases: hidden with their count.
        revealingCell({ stage: r.stage }, 'escalations', r.escalations, r.cases),
      ]);
  },
};
