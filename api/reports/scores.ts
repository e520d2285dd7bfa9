// Reintegration sustainability scores (0–100) from monitoring reports, per checkpoint (P3M, P6M, …): how many
// reports, their average, and how they spread over five bands of twenty points.
import { countCell, protectParts, statCell, type Row } from './cells';
import type { Figure } from './figure';

export const SCORE_BANDS = [
  { measure: 'score_0_19', lo: 0, hi: 19 },
  { measure: 'score_20_39', lo: 20, hi: 39 },
  { measure: 'score_40_59', lo: 40, hi: 59 },
  { measure: 'score_60_79', lo: 60, hi: 79 },
  { measure: 'score_80_100', lo: 80, hi: 100 },
] as const;

export const sustainabilityScores: Figure = {
  name: 'sustainability-scores',
  title: 'Reintegration sustainability scores per monitoring checkpoint: reports, average and distribution',
  period: 'the day the monitoring report was made',
  dimensions: ['checkpoint'],
  measures: ['reports', 'average_score', ...SCORE_BANDS.map((b) => b.measure)],
  async compute(pool, filter) {
    const f = filter(`(cp ->> 'reportedAt')::timestamptz`);
    const bands = SCORE_BANDS.map((b) => `count(*) FILTER (WHERE score BETWEEN ${b.lo} AND ${b.hi})::int AS ${b.measure}`).join(',\n');
    const { rows } = await pool.query<Record<string, number> & { checkpoint: string; reports: number; average: number }>(
      `SELECT checkpoint, count(*)::int AS reports, avg(score)::float8 AS average, ${bands}
       FROM (
         SELECT cp ->> 'offset' AS checkpoint, (cp ->> 'score')::int AS score,
                (cp ->> 'dueAt')::timestamptz - c.departed_at AS after
         FROM (SELECT * FROM cases WHERE ${f.where}) c, jsonb_array_elements(c.summary -> 'checkpoints') cp
         WHERE cp ? 'score' AND ${f.period}) s
       -- ISO durations do not sort as text (P12M < P3M): order checkpoints by how long after departure they fall.
       GROUP BY checkpoint ORDER BY min(after), checkpoint`,
      f.params,
    );
    return rows.flatMap((r): Row[] => {
      const dims = { checkpoint: r.checkpoint };
      const total = countCell(dims, 'reports', r.reports);
      const parts = SCORE_BANDS.map((b) => countCell(dims, b.measure, r[b.measure]));
      return [total, statCell(dims, 'average_score', Math.round(r.average * 10) / 10, r.reports), ...protectParts(parts, total)];
    });
  },
};
