// Brings up the infrastructure a process needs: Temporal (external by TEMPORAL_ADDRESS, else the local dev
// server) and PostgreSQL (external by DATABASE_URL, else embedded), then migrations. Used by start and tests.
import path from 'node:path';
import type { Config } from '../common/config';
import { migrate } from '../db/migrate';
import { startEmbeddedPostgres } from '../db/embedded';
import { ensureTemporalCli } from './temporal-binaries';
import { startTemporalDevServer } from './temporal-dev-server';

export interface Services {
  temporalAddress: string;
  temporalUiUrl?: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function startServices(
  cfg: Config,
  log: (m: string) => void,
  opts: { persistent?: boolean; dynamicConfig?: Record<string, unknown> } = {},
): Promise<Services> {
  const stops: (() => Promise<void>)[] = [];
  // A dependency that already died must not hold up the others' shutdown.
  const stop = async () => {
    for (const s of stops.reverse()) await withTimeout(s(), 15_000).catch(() => undefined);
  };
  try {
    let temporalAddress = cfg.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      const cli = await ensureTemporalCli({ log });
      const temporal = await startTemporalDevServer({
        cliPath: cli.path,
        dataDir: cfg.DATA_DIR,
        port: cfg.TEMPORAL_DEV_PORT,
        uiPort: cfg.TEMPORAL_UI_PORT,
        namespace: cfg.TEMPORAL_NAMESPACE,
        persistent: opts.persistent,
        dynamicConfig: opts.dynamicConfig,
      });
      stops.push(temporal.stop);
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
      log(`temporal dev server: ${temporalAddress} (UI ${temporalUiUrl}), data in ${path.join(cfg.DATA_DIR, 'temporal.sqlite')}`);
    }
    let databaseUrl = cfg.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: cfg.DATA_DIR, port: cfg.EMBEDDED_PG_PORT, database: 'avrr' });
      stops.push(pg.stop);
      databaseUrl = pg.url;
      log(`embedded postgres: 127.0.0.1:${cfg.EMBEDDED_PG_PORT}, data in ${path.join(cfg.DATA_DIR, 'postgres')}`);
    }
    const ran = await migrate(databaseUrl);
    if (ran.length) log(`migrations applied: ${ran.join(', ')}`);
    return { temporalAddress, temporalUiUrl, databaseUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
