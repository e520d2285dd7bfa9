// Production entry of the API alone (`node dist/api/main.js`): the HTTP API and web app against the Temporal
// and PostgreSQL named by TEMPORAL_ADDRESS and DATABASE_URL, scaled apart from the workers. Migrations are a
// separate step (scripts/migrate.ts). GET /health and GET /metrics are on the API's own port.
import { logger } from '../common/logger';
import { startApp } from '../scripts/app-runtime';
import { productionConfig, runUntilSignal } from '../scripts/production';

const cfg = productionConfig();
runUntilSignal('api', async () => {
  const app = await startApp(cfg, { temporalAddress: cfg.TEMPORAL_ADDRESS, databaseUrl: cfg.DATABASE_URL }, { worker: false });
  logger.info({ url: app.url, namespace: cfg.TEMPORAL_NAMESPACE, temporal: cfg.TEMPORAL_ADDRESS }, 'api: listening');
  return app;
});
