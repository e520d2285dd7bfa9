// The worker process's small HTTP server for operations: GET /metrics (this process's metrics, the Temporal
// SDK's included) and GET /health (200 while the worker runs, 503 otherwise). The API serves its own.
import http from 'node:http';
import type net from 'node:net';
import { contentType } from 'prom-client';
import { metricsAuthorized, processMetrics } from './metrics';

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

export async function startOpsServer(opts: { host: string; port: number; token?: string; workerState: () => string }): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      const state = opts.workerState();
      res.writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ status: state === 'RUNNING' ? 'ok' : 'down', worker: state }));
    }
    if (req.method === 'GET' && path === '/metrics') {
      if (!metricsAuthorized(req, opts.token)) return res.writeHead(401).end();
      return void processMetrics().then(
        (text) => res.writeHead(200, { 'content-type': contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port, opts.host, resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://${opts.host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
