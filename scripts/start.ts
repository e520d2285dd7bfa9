// `npm start`: the whole system on embedded defaults — Temporal dev server, PostgreSQL, migrations,
// worker and API — on localhost. Ctrl-C or SIGTERM stops everything; data stays under DATA_DIR.
import { ConfigError, loadConfig } from '../common/config';
import { logger } from '../common/logger';
import { startServices } from './services';
import { startApp } from './app-runtime';

async function main(): Promise<void> {
  let cfg;
  try {
    cfg = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = (m: string) => logger.info(m);
  const services = await startServices(cfg, log);
  let app;
  try {
    app = await startApp(cfg, services);
  } catch (err) {
    await services.stop();
    throw err;
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    await app.stop();
    await services.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  // If whatever launched us dies without signalling (a killed shell), stop rather than linger as an orphan.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void shutdown('parent exited'), 1000).unref();
  process.stdout.write(
    [
      '',
      'AVRR case engine is running:',
      `  web app      ${app.url}/`,
      `  API          ${app.url}/api/v1   (docs: ${app.url}/api/docs)`,
      `  health       ${app.url}/health`,
      services.temporalUiUrl ? `  Temporal UI  ${services.temporalUiUrl}` : `  Temporal     ${services.temporalAddress}`,
      '  demo login   caseworker@demo.avrr / demo-caseworker  (more in README)',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  logger.fatal({ err }, 'start failed');
  process.exit(1);
});
