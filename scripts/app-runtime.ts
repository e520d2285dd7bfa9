// Starts the application processes on running services: the worker and the API, sharing one config.
// Returns a stop() that drains the worker, closes the HTTP server and the pools.
import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Config } from '../common/config';
import { loadProgrammes } from '../common/programmes';
import { temporalConnectionOptions } from '../common/temporal';
import { createApp } from '../api/app';
import { syncFundedPlaces } from '../activities/places';
import { createPool } from '../db/pool';
import { seedDemoAccounts } from '../db/seed';
import { createWorker, installWorkerRuntime, type WorkerTuning } from '../worker/worker';
import { exposeSdkMetrics, freeLoopbackPort } from '../worker/metrics';
import { clientInterceptors, initTracing, type Tracing } from '../common/tracing';
import { createEncryption } from '../common/crypto/data-converter';
import { loadWebhookSettings, webhookTaskQueue } from '../activities/webhooks/settings';

export interface AppRuntime {
  url: string;
  server: http.Server;
  /** Present when this process runs the worker (its health is the worker's state). */
  worker?: Worker;
  stop(): Promise<void>;
}

export async function startApp(cfg: Config, services: { temporalAddress: string; databaseUrl: string }, opts: { worker?: boolean; api?: boolean; bundlePath?: string; tracing?: Tracing; tuning?: WorkerTuning } = {}): Promise<AppRuntime> {
  const programmes = loadProgrammes(cfg.PROGRAMMES_DIR);
  const pool = createPool(services.databaseUrl, 20);
  await syncFundedPlaces(pool, [...programmes.values()]);
  if (cfg.NODE_ENV !== 'production') await seedDemoAccounts(pool);

  const encryption = createEncryption(pool, cfg);
  const connOpts = temporalConnectionOptions(cfg, services.temporalAddress);
  const tracing = opts.tracing ?? initTracing(cfg);
  const stops: (() => Promise<void>)[] = [];
  let runningWorker: Worker | undefined;
  if (opts.worker !== false) {
    const sdkMetrics = `127.0.0.1:${cfg.TEMPORAL_METRICS_PORT || (await freeLoopbackPort())}`;
    if (installWorkerRuntime(cfg.LOG_LEVEL, { metricsAddress: sdkMetrics })) exposeSdkMetrics(sdkMetrics);
    const nativeConnection = await NativeConnection.connect(connOpts);
    const deployment = cfg.WORKER_DEPLOYMENT_NAME && cfg.WORKER_BUILD_ID ? { deploymentName: cfg.WORKER_DEPLOYMENT_NAME, buildId: cfg.WORKER_BUILD_ID } : undefined;
    const worker = await createWorker({
      connection: nativeConnection, namespace: cfg.TEMPORAL_NAMESPACE, taskQueue: cfg.TEMPORAL_TASK_QUEUE, pool, encryption,
      bundlePath: opts.bundlePath ?? cfg.WORKFLOW_BUNDLE_PATH, deployment, tracing, tuning: opts.tuning,
    });
    // Webhook delivery has its own task queue, so endpoints that hang never take the case activities' slots.
    const webhookWorker = await createWorker({
      connection: nativeConnection, namespace: cfg.TEMPORAL_NAMESPACE,
      taskQueue: webhookTaskQueue(loadWebhookSettings(), cfg.TEMPORAL_TASK_QUEUE), pool, encryption,
      bundlePath: opts.bundlePath ?? cfg.WORKFLOW_BUNDLE_PATH, deployment, tracing,
    });
    runningWorker = worker;
    const running = [worker.run(), webhookWorker.run()];
    stops.push(async () => {
      worker.shutdown();
      webhookWorker.shutdown();
      await Promise.all(running.map((r) => r.catch(() => undefined)));
      await nativeConnection.close();
    });
  }
  let server = http.createServer();
  let url = '';
  if (opts.api !== false) {
    const connection = await Connection.connect(connOpts);
    const temporal = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE, dataConverter: encryption.dataConverter, interceptors: clientInterceptors(tracing) });
    const { app } = createApp({ config: cfg, pool, temporal, programmes, keys: encryption.keys });
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
    worker: runningWorker,
    stop: async () => {
      for (const s of stops) await s().catch(() => undefined);
      await tracing.spanProcessor.forceFlush().catch(() => undefined);
      // pool.end() waits for clients; with the database gone that can be long, so bound it.
      await Promise.race([pool.end().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
    },
  };
}
