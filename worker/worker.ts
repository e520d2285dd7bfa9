// Builds the worker: the case workflows (bundled from source in development, pre-built in production)
// and the activities with their real dependencies.
import path from 'node:path';
import fs from 'node:fs';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
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
