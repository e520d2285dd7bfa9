// The baseline worker in a process of its own (like the app's, so both sides pay the same process costs): the
// bundle of bench/baseline-workflows.ts and a no-op activity, with the same tuning options as the app's worker.
//   BASELINE_BUNDLE, BASELINE_TASK_QUEUE, TEMPORAL_ADDRESS, WORKER_TUNING (JSON)
// Prints `READY {"pid":...}` once it polls; SIGTERM stops it.
import { NativeConnection, Worker } from '@temporalio/worker';
import { DEFAULT_WORKER_TUNING, installWorkerRuntime } from '../worker/worker';
import type { BaselineActivities } from './baseline-workflows';

async function main(): Promise<void> {
  installWorkerRuntime('error');
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const activities: BaselineActivities = { noop: async (seq) => seq };
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.BASELINE_TASK_QUEUE ?? 'bench-baseline',
    workflowBundle: { codePath: process.env.BASELINE_BUNDLE! },
    activities,
    // The app worker's defaults and overrides, so both sides run with the same options.
    ...DEFAULT_WORKER_TUNING,
    ...(process.env.WORKER_TUNING ? JSON.parse(process.env.WORKER_TUNING) : {}),
  });
  const running = worker.run();
  const stop = async () => {
    worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`READY ${JSON.stringify({ url: '', pid: process.pid })}\n`);
  await running;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
