// Starts the application processes on running services: the worker and the API, sharing one config.
// Returns a stop() that drains the worker, closes the HTTP server and the pools.
import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../common/config';
import { loadProgrammes } from '../common/programmes';
import { temporalConnectionOptions } from '../common/temporal';
import { createApp } from '../api/app';
import { syncFundedPlaces } from '../activities/places';
import { createPool } from '../db/pool';
import { seedDemoAccounts } from '../db/seed';
import { createWorker, installWorkerRuntime } from '../worker/worker';

export interface AppRuntime {
  url: string;
  server: http.Server;
  stop(): Promise<void>;
}

export async function startApp(cfg: Config, services: { temporalAddress: string; databaseUrl: string }, opts: { worker?: boolean; api?: boolean; bundlePath?: string } = {}): Promise<AppRuntime> {
  const programmes = loadProgrammes(cfg.PROGRAMMES_DIR);
  const pool = createPool(services.databaseUrl, 20);
  await syncFundedPlaces(pool, [...programmes.values()]);
  if (cfg.NODE_ENV !== 'production') await seedDemoAccounts(pool);

  const connOpts = temporalConnectionOptions(cfg, services.temporalAddress);
  const stops: (() => Promise<void>)[] = [];
  if (opts.worker !== false) {
    installWorkerRuntime(cfg.LOG_LEVEL);
    const nativeConnection = await NativeConnection.connect(connOpts);
    const worker = await createWorker({ connection: nativeConnection, namespace: cfg.TEMPORAL_NAMESPACE, taskQueue: cfg.TEMPORAL_TASK_QUEUE, pool, bundlePath: opts.bundlePath });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running.catch(() => undefined);
      await nativeConnection.close();
    });
  }
  let server = http.createServer();
  let url = '';
  if (opts.api !== false) {
    const connection = await Connection.connect(connOpts);
    const temporal = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
    const { app } = createApp({ config: cfg, pool, temporal, programmes });
    server = http.createServer(app);
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(cfg.PORT, cfg.HOST, resolve));
    const addr = server.address();
    url = `http://${cfg.HOST}:${typeof addr === 'object' && addr ? addr.port : cfg.PORT}`;
    stops.unshift(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await connection.close();
    });
  }
  return {
    url,
    server,
    stop: async () => {
      for (const s of stops) await s().catch(() => undefined);
      // pool.end() waits for clients; with the database gone that can be long, so bound it.
      await Promise.race([pool.end().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
    },
  };
}
