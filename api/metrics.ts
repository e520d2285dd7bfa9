// Observability of the API: GET /metrics for Prometheus, and per request a latency histogram by route and
// status plus a server span (a no-op unless tracing is on, common/tracing.ts) that the Temporal client
// interceptor continues into the workflow and its activities.
import express, { type Request, type RequestHandler } from 'express';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Histogram, Registry } from 'prom-client';
import { metricsAuthorized, processMetrics } from '../worker/metrics';
import type { AppDeps } from './deps';
import { registerDatabaseMetrics } from './metrics-db';
import { Problem } from './problem';

export function observability(deps: Pick<AppDeps, 'pool' | 'config'>): express.Router {
  const registry = new Registry();
  const latency = new Histogram({
    name: 'avrr_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status; _count gives the request rate',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  registerDatabaseMetrics(registry, deps.pool);

  const router = express.Router();
  // Declared before the instruments, so scrapes are neither timed nor traced.
  router.get('/metrics', async (req, res, next) => {
    if (!metricsAuthorized(req, deps.config.METRICS_TOKEN)) return next(new Problem(401, 'Unauthorized', 'Send METRICS_TOKEN as a bearer token'));
    const [own, proc] = await Promise.all([registry.metrics(), processMetrics()]);
    res.type(registry.contentType).send(`${own}\n${proc}`);
  });
  router.use(instrument(latency));
  return router;
}

function instrument(latency: Histogram<'method' | 'route' | 'status'>): RequestHandler {
  const tracer = trace.getTracer('avrr-api');
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // A caller's traceparent header continues its trace.
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
    res.once('finish', () => {
      const route = routeOf(req, res.statusCode);
      latency.observe({ method: req.method, route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/**
 * The route pattern (`/api/v1/cases/:id`), never the path, so the label set stays small and carries no IDs.
 * After an error left a router, Express has reset `baseUrl`; the mount point is then what precedes the
 * route's own segments in the URL.
 */
export function routeOf(req: Request, status: number): string {
  if (!req.route) return status < 400 ? 'static' : 'unmatched';
  const pattern = String(req.route.path);
  if (req.baseUrl) return req.baseUrl + pattern;
  const segments = req.originalUrl.split('?')[0].split('/').filter(Boolean);
  const own = pattern.split('/').filter(Boolean).length;
  const mount = segments.slice(0, Math.max(0, segments.length - own)).join('/');
  return (mount ? `/${mount}` : '') + pattern;
}
