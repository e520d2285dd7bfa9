// Builds the worker: the case workflows (bundled from source in development, pre-built in production)
// and the activities with their real dependencies.
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import { IllegalStateError } from '@temporalio/common';
import type { Pool } from 'pg';
import { createActivities } from '../activities';
import { logger } from '../common/logger';
import { noTracing, type Tracing } from '../common/tracing';
import { recordWorkerInfo } from './metrics';
import { deploymentOptions, tracingOptions, workflowCode, type DeploymentVersion } from './options';
import type { Encryption } from '../common/crypto/data-converter';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  /** The payload codec and the key store (the erase activity shreds keys). */
  encryption: Encryption;
  /** A pre-built bundle (npm run build:bundle); without one the workflows are bundled at start. */
  bundlePath?: string;
  /** WORKER_DEPLOYMENT_NAME + WORKER_BUILD_ID: the worker polls as that version (docs/operations.md). */
  deployment?: DeploymentVersion;
  tracing?: Tracing;
  tuning?: WorkerTuning;
}

/** Worker tuning a deployment or a benchmark may set (docs/benchmarks.md says what was measured and why). */
export type WorkerTuning = Partial<Pick<WorkerOptions,
  'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentWorkflowTaskPolls' | 'maxConcurrentActivityTaskPolls'>>;

/**
 * A bounded sticky cache. Each cached case costs the worker one to two MiB (its own copy of the bundle's module
 * state and its payloads), so the SDK's heap-derived default (about 2,300 workflows on a 4 GiB heap) would let the
 * worker grow to several GiB as cases open; with 500 its memory is flat in the number of open cases (measured from
 * 3,000 to 30,000: 1.4 GiB RSS on a 1 GiB heap, docs/benchmarks.md (f)). A case not in the cache is replayed at its
 * next task, which is rare for cases that wait weeks on a timer. Concurrency and pollers stay at the SDK defaults:
 * on the measured 2-core machine the limit was CPU, not slots.
 */
export const DEFAULT_WORKER_TUNING: WorkerTuning = { maxCachedWorkflows: 500 };

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index');

/**
 * The SDK's process-wide runtime: its log level follows LOG_LEVEL; with `metricsAddress` it serves the SDK's
 * Prometheus metrics there (worker/metrics.ts passes them through). Installed once per process: returns false
 * when an earlier call already did.
 */
export function installWorkerRuntime(logLevel: string, opts: { metricsAddress?: string } = {}): boolean {
  const level: LogLevel = ({ fatal: 'ERROR', error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG', trace: 'TRACE', silent: 'ERROR' } as const)[logLevel] ?? 'INFO';
  const metrics = opts.metricsAddress ? { metrics: { prometheus: { bindAddress: opts.metricsAddress } } } : {};
  try {
    Runtime.install({ logger: new DefaultLogger(level), telemetryOptions: metrics });
    return true;
  } catch (err) {
    // Already installed in this process (tests create several workers); anything else is real.
    if (err instanceof IllegalStateError) return false;
    throw err;
  }
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const workflows = workflowCode(deps.bundlePath, require.resolve(WORKFLOWS_PATH));
  const version = deps.deployment ? `${deps.deployment.deploymentName}.${deps.deployment.buildId}` : undefined;
  recordWorkerInfo({ taskQueue: deps.taskQueue, namespace: deps.namespace, workflowCode: workflows.label, deploymentVersion: version });
  logger.info({ workflowCode: workflows.label, bundle: deps.bundlePath, deploymentVersion: version, namespace: deps.namespace, taskQueue: deps.taskQueue }, 'worker: workflow code');
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...workflows.options,
    ...deploymentOptions(deps.deployment),
    ...tracingOptions(deps.tracing ?? noTracing(), !deps.bundlePath),
    activities: createActivities({ pool: deps.pool, keys: deps.encryption.keys }),
    dataConverter: deps.encryption.dataConverter,
    ...DEFAULT_WORKER_TUNING,
    ...deps.tuning,
  });
}
