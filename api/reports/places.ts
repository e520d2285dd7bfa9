// Funded places per programme: funded (set by the programme), used (active reservations of the cases in the
// filter, opened in the period) and left (the programme's whole pool: funded minus every active reservation).
import { countCell, factCell, revealingCell, type Row } from './cells';
import type { Figure } from './figure';

export const places: Figure = {
  name: 'places',
  title: 'Funded places used and left, per programme',
  period: 'the day the case was opened (for places used)',
  dimensions: ['programme'],
  measures: ['funded', 'used', 'left'],
  async compute(pool, filter) {
    const f = filter('opened_at');
    const only = f.query.programme ? `WHERE pp.programme_id = ${f.param(f.query.programme)}` : '';
    const { rows } = await pool.query<{ programme: string; funded: number; used: number; used_all: number }>(
      `SELECT pp.programme_id AS programme, pp.funded_places AS funded,
         (SELECT count(*) FROM place_reservations r
          WHERE r.programme_id = pp.programme_id AND r.released_at IS NULL)::int AS used_all,
         (SELECT count(*) FROM place_reservations r
          JOIN (SELECT case_id FROM cases WHERE ${f.where} AND ${f.period}) c USING (case_id)
          WHERE r.programme_id = pp.programme_id AND r.released_at IS NULL)::int AS used
       FROM programme_places pp ${only} ORDER BY pp.programme_id`,
      f.params,
    );
    return rows.flatMap((r): Row[] => {
      const dims = { programme: r.programme };
      return [
        factCell(dims, 'funded', r.funded),
        countCell(dims, 'used', r.used),
        // Funded minus left would give the programme's places used: hidden when that is a small count.
        revealingCell(dims, 'left', Math.max(0, r.funded - r.used_all), r.used_all),
      ];
    });
  },
};
