// GET /health: 200 when Temporal and Postgres answer, 503 naming what is down.
import { z } from 'zod';
import type { Api } from '../route';
import { endpoint } from '../route';
import type { AppDeps } from '../deps';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  temporal: z.enum(['ok', 'down']),
  postgres: z.enum(['ok', 'down']),
});

const CHECK_MS = 2000;

export function healthRoutes(api: Api, deps: AppDeps): void {
  endpoint(api, {
    method: 'get',
    path: '/health',
    summary: 'Liveness of the API and its dependencies',
    tags: ['system'],
    responses: {
      200: { description: 'Everything is up', content: { 'application/json': { schema: Health } } },
      503: { description: 'Something is down; the body names it', content: { 'application/json': { schema: Health } } },
    },
    handler: async ({ res }) => {
      const [postgres, temporal] = await Promise.all([
        within(CHECK_MS, deps.pool.query('SELECT 1').then(() => true)),
        // A gRPC deadline, not a race: an abandoned call would go on retrying in the background and
        // its retry timer could fire after the connection is closed.
        deps.temporal.connection
          .withDeadline(Date.now() + CHECK_MS, () => deps.temporal.workflowService.getSystemInfo({}))
          .then(() => true, () => false),
      ]);
      const body = { status: postgres && temporal ? 'ok' : 'degraded', temporal: temporal ? 'ok' : 'down', postgres: postgres ? 'ok' : 'down' };
      res.status(postgres && temporal ? 200 : 503).json(body);
    },
  });
}

/** True if the check succeeds within the time; a hung dependency counts as down. */
async function within(ms: number, check: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([check.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
