// Proves the provisioned time-skipping test server works end to end: a workflow that sleeps 30 days finishes
// in seconds of wall time. Self-contained: it provisions the server itself and needs no other project setup.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ensureTimeSkippingServer } from '../../scripts/temporal-binaries';
import type { sleepy } from '../fixtures/workflows/sleepy';

const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

// A cold provision downloads the server (seconds here, longer on a slow link), and bundling the workflow
// with webpack takes a few seconds on a small machine; the wall-time assertion below is the real limit.
jest.setTimeout(180_000);

let env: TestWorkflowEnvironment | undefined;

beforeAll(async () => {
  const server = await ensureTimeSkippingServer();
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: server.path } },
  });
});

afterAll(async () => {
  await env?.teardown();
});

test('a 30-day sleep completes within seconds of wall time', async () => {
  const testEnv = env!;
  const taskQueue = `time-skipping-${Date.now()}`;
  const worker = await Worker.create({
    connection: testEnv.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../fixtures/workflows/sleepy'),
  });

  const serverTimeBefore = await testEnv.currentTimeMs();
  const started = Date.now();
  // Awaiting the result is what lets the server skip ahead to the timer instead of waiting for it.
  const result = await worker.runUntil(
    testEnv.client.workflow.execute<typeof sleepy>('sleepy', {
      taskQueue,
      workflowId: `sleepy-${Date.now()}`,
      args: ['30 days'],
    }),
  );
  const wallMs = Date.now() - started;

  expect(result.sleptMs).toBeGreaterThanOrEqual(THIRTY_DAYS_MS);
  expect((await testEnv.currentTimeMs()) - serverTimeBefore).toBeGreaterThanOrEqual(THIRTY_DAYS_MS);
  expect(wallMs).toBeLessThan(15_000);
});
