// What the production entries (api/main.ts, worker/main.ts, scripts/migrate.ts) share: configuration checked
// at start, external services only (no embedded fallbacks: a missing setting stops the start, it never spawns
// a local server), and a graceful stop on SIGTERM, which is what a container runtime sends.
import { ConfigError, loadConfig, type Config } from '../common/config';
import { logger } from '../common/logger';

export type ProductionConfig = Config & { TEMPORAL_ADDRESS: string; DATABASE_URL: string };

/** The configuration, or exit 2 with one line per problem (the convention of `npm start`). */
export function productionConfig(needs: ('TEMPORAL_ADDRESS' | 'DATABASE_URL')[] = ['TEMPORAL_ADDRESS', 'DATABASE_URL']): ProductionConfig {
  try {
    const cfg = loadConfig();
    const missing = needs.filter((k) => !cfg[k]);
    if (missing.length) throw new ConfigError(`${missing.join(', ')} must be set (this entry never starts embedded services)`);
    return cfg as ProductionConfig;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`configuration error: ${err.message}\n`);
    process.exit(2);
  }
}

/** Starts, then stops on the first SIGTERM/SIGINT; a failed start exits 1 with the reason logged. */
export function runUntilSignal(what: string, start: () => Promise<{ stop(): Promise<void> }>): void {
  start()
    .then((running) => {
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info(`${what}: ${signal}, stopping`);
        await running.stop();
        logger.info(`${what}: stopped`);
        process.exit(0);
      };
      process.on('SIGTERM', () => void stop('SIGTERM'));
      process.on('SIGINT', () => void stop('SIGINT'));
    })
    .catch((err) => {
      logger.fatal({ err }, `${what}: start failed`);
      process.exit(1);
    });
}
