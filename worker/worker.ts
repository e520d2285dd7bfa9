// Builds the worker: the case workflows (bundled from source in development, pre-built in production)
// and the activities with their real dependencies.
import path from 'node:path';
import fs from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../activities';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  /** A pre-built bundle (npm run build:bundle); without one the workflows are bundled at start. */
  bundlePath?: string;
  tuning?: Partial<Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions'>>;
}

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index');

/** The SDK's process-wide runtime: its log level follows LOG_LEVEL. Installed once per process. */
export function installWorkerRuntime(logLevel: string): void {
  const level: LogLevel = ({ fatal: 'ERROR', error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG', trace: 'TRACE', silent: 'ERROR' } as const)[logLevel] ?? 'INFO';
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Already installed in this process (tests create several workers).
  }
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const workflows =
    deps.bundlePath && fs.existsSync(deps.bundlePath)
      ? { workflowBundle: { codePath: deps.bundlePath } }
      : { workflowsPath: require.resolve(WORKFLOWS_PATH) };
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...workflows,
    activities: createActivities({ pool: deps.pool }),
    ...deps.tuning,
  });
}
