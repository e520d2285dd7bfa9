// GET /api/v1/programmes: the loaded programme files, as validated at start-up.
import { z } from 'zod';
import { endpoint, type Api } from '../route';
import type { AppDeps } from '../deps';
import { Programme } from '../../workflows/domain/programme';

export function programmeRoutes(api: Api, deps: AppDeps): void {
  endpoint(api, {
    method: 'get',
    path: '/programmes',
    summary: 'The programmes this deployment runs, with their places used and left',
    tags: ['programmes'],
    permission: 'programme.read',
    responses: { 200: { description: 'Programmes', content: { 'application/json': { schema: z.object({ items: z.array(z.looseObject({ ...Programme.shape, placesUsed: z.number().int(), placesLeft: z.number().int() })) }) } } } },
    handler: async ({ res }) => {
      const { rows } = await deps.pool.query<{ programme_id: string; used: string }>(
        `SELECT programme_id, count(*) AS used FROM place_reservations WHERE released_at IS NULL GROUP BY programme_id`,
      );
      const used = new Map(rows.map((r) => [r.programme_id, Number(r.used)]));
      res.json({
        items: [...deps.programmes.values()].map((p) => ({
          ...p,
          placesUsed: used.get(p.id) ?? 0,
          placesLeft: Math.max(0, p.fundedPlaces - (used.get(p.id) ?? 0)),
        })),
      });
    },
  });
}
