// Production entry of the worker alone (`node dist/worker/main.js`): the case workflows and activities against
// the Temporal and PostgreSQL named by TEMPORAL_ADDRESS and DATABASE_URL, scaled apart from the API. It runs the
// pre-built workflow bundle (WORKFLOW_BUNDLE_PATH, else dist/workflow-bundle.js next to this file) and serves
// GET /metrics and GET /health on METRICS_PORT.
import fs from 'node:fs';
import path from 'node:path';
import { logger } from '../common/logger';
import { startApp } from '../scripts/app-runtime';
import { productionConfig, runUntilSignal } from '../scripts/production';
import { startOpsServer } from './metrics-server';

/** Where `npm run build` writes the bundle, relative to the compiled worker/main.js. */
const BUILT_BUNDLE = path.resolve(__dirname, '..', 'workflow-bundle.js');

const cfg = productionConfig();
const bundlePath = cfg.WORKFLOW_BUNDLE_PATH ?? (fs.existsSync(BUILT_BUNDLE) ? BUILT_BUNDLE : undefined);
if (!bundlePath && cfg.NODE_ENV === 'production') {
  // Bundling at start would need the sources and a minute of CPU on every replica: refuse instead.
  process.stderr.write('configuration error: WORKFLOW_BUNDLE_PATH must name the pre-built bundle in production (npm run build)\n');
  process.exit(2);
}

runUntilSignal('worker', async () => {
  const app = await startApp(cfg, { temporalAddress: cfg.TEMPORAL_ADDRESS, databaseUrl: cfg.DATABASE_URL }, { api: false, bundlePath });
  const ops = await startOpsServer({
    host: cfg.HOST,
    port: cfg.METRICS_PORT,
    token: cfg.METRICS_TOKEN,
    workerState: () => app.worker?.getState() ?? 'STOPPED',
  });
  logger.info({ metrics: `${ops.url}/metrics`, namespace: cfg.TEMPORAL_NAMESPACE, temporal: cfg.TEMPORAL_ADDRESS, taskQueue: cfg.TEMPORAL_TASK_QUEUE }, 'worker: running');
  return {
    async stop() {
      await ops.close();
      await app.stop();
    },
  };
});
