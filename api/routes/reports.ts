// Aggregate figures for the dashboard and fund reporting, as JSON or CSV. No personal data: counts and
// statistics only, small cells suppressed (api/reports/cells.ts, docs/reports.md).
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { FIGURES, MIN_CELL, ReportQuery, reportFilter, toCsv } from '../reports';
import { endpoint, type Api } from '../route';
import { ProblemSchema } from '../schemas';

const RowSchema = z.looseObject({
  measure: z.string(),
  value: z.number().nullable().describe('null when suppressed'),
  suppressed: z.boolean().describe(`true when the cell counts 1 to ${MIN_CELL - 1} cases, or a statistic rests on fewer than ${MIN_CELL}`),
});

export function reportRoutes(api: Api, deps: AppDeps): void {
  for (const figure of FIGURES) {
    endpoint(api, {
      method: 'get',
      path: `/reports/${figure.name}`,
      summary: `${figure.title}. The period selects on ${figure.period}.`,
      tags: ['reports'],
      permission: 'report.read',
      query: ReportQuery,
      responses: {
        200: {
          description: `Rows of ${[...figure.dimensions, 'measure'].join(' × ')}; measures: ${figure.measures.join(', ')}`,
          content: {
            'application/json': {
              schema: z.object({
                figure: z.literal(figure.name),
                filters: z.record(z.string(), z.string()),
                generatedAt: z.string(),
                minimumCellSize: z.literal(MIN_CELL),
                dimensions: z.array(z.string()),
                rows: z.array(RowSchema),
              }),
            },
            'text/csv': { schema: z.string().describe(`${[...figure.dimensions, 'measure', 'value', 'suppressed'].join(',')}`) },
          },
        },
        422: { description: 'A filter is invalid', content: { 'application/problem+json': { schema: ProblemSchema } } },
      },
      handler: async ({ req, res, query }) => {
        const rows = await figure.compute(deps.pool, reportFilter(req.principal!, query));
        const generatedAt = new Date().toISOString();
        res.set('cache-control', 'no-store');
        if (query.format === 'csv') {
          res.type('text/csv; charset=utf-8').attachment(`${figure.name}-${generatedAt.slice(0, 10)}.csv`).send(toCsv(figure.dimensions, rows));
          return;
        }
        const { format: _format, ...filters } = query;
        res.json({ figure: figure.name, filters, generatedAt, minimumCellSize: MIN_CELL, dimensions: figure.dimensions, rows });
      },
    });
  }
}
