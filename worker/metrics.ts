// The process's own metrics, whatever runs in it (the API, the worker or both): Node's defaults, which workflow
// code the worker runs, and the Temporal SDK's metrics. The SDK (Core) serves those on a loopback port; they are
// passed through here, so each process has one /metrics to scrape. No @temporalio/worker import: the API uses it.
import crypto from 'node:crypto';
import type http from 'node:http';
import net from 'node:net';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

const workerInfo = new Gauge({
  name: 'avrr_worker_info',
  help: 'Always 1; the labels say what this worker runs: its task queue, namespace, workflow code and deployment version',
  labelNames: ['task_queue', 'namespace', 'workflow_code', 'deployment_version'],
  registers: [processRegistry],
});
const sdkUp = new Gauge({
  name: 'avrr_temporal_sdk_metrics_up',
  help: '1 when the Temporal SDK metrics could be read for this scrape, 0 when not',
  registers: [processRegistry],
});

let sdkMetricsUrl: string | undefined;

/** Called once the SDK runtime serves its Prometheus endpoint at this loopback address. */
export function exposeSdkMetrics(address: string): void {
  sdkMetricsUrl = `http://${address}/metrics`;
}

export function recordWorkerInfo(info: { taskQueue: string; namespace: string; workflowCode: string; deploymentVersion?: string }): void {
  workerInfo.set({ task_queue: info.taskQueue, namespace: info.namespace, workflow_code: info.workflowCode, deployment_version: info.deploymentVersion ?? 'unversioned' }, 1);
}

/** The process metrics in Prometheus text format, the SDK's appended when this process runs a worker. */
export async function processMetrics(): Promise<string> {
  const sdk = sdkMetricsUrl ? await fetchText(sdkMetricsUrl) : undefined;
  if (sdkMetricsUrl) sdkUp.set(sdk === undefined ? 0 : 1);
  const own = await processRegistry.metrics();
  return sdk ? `${own}\n${sdk}` : own;
}

async function fetchText(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

/** METRICS_TOKEN, when set, must come as a bearer token; compared in constant time. */
export function metricsAuthorized(req: http.IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(req.headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}

/** A free loopback port for the SDK's exporter when TEMPORAL_METRICS_PORT is 0. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}
