// The app's worker and/or API in a process of its own (scripts/app-runtime.ts startApp), so a fault test can
// SIGKILL it and start it again, and a benchmark can read its memory. Configuration comes from the environment,
// as for `npm start`, plus:
//   APP_ROLES      worker,api (default both)
//   APP_BUNDLE     a pre-built workflow bundle (else the sources are bundled at start)
//   WORKER_TUNING  JSON of worker tuning options (maxCachedWorkflows, maxConcurrent*), see worker/worker.ts
// Prints `READY {"url":...,"pid":...}` on stdout once running; SIGTERM or SIGINT stop it cleanly.
//   node --import tsx test/reliability/app-process.ts
import { loadConfig } from '../../common/config';
import { startApp } from '../../scripts/app-runtime';

async function main(): Promise<void> {
  const roles = (process.env.APP_ROLES ?? 'worker,api').split(',');
  const cfg = loadConfig();
  if (!cfg.TEMPORAL_ADDRESS || !cfg.DATABASE_URL) throw new Error('TEMPORAL_ADDRESS and DATABASE_URL must be set');
  const app = await startApp(cfg, { temporalAddress: cfg.TEMPORAL_ADDRESS, databaseUrl: cfg.DATABASE_URL }, {
    worker: roles.includes('worker'),
    api: roles.includes('api'),
    bundlePath: process.env.APP_BUNDLE || undefined,
    tuning: process.env.WORKER_TUNING ? JSON.parse(process.env.WORKER_TUNING) : undefined,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`READY ${JSON.stringify({ url: app.url, pid: process.pid })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
