// OpenTelemetry tracing across API → workflow → activities, switched on by OTEL_ENABLED. Spans leave by
// OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (a collector, Jaeger, Tempo…); tests pass an in-memory exporter.
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Config } from './config';

export interface Tracing {
  enabled: boolean;
  resource: Resource;
  /** Takes the process's own spans and, through the SDK's sink, the spans made inside workflows. */
  spanProcessor: SpanProcessor;
  /** Flushes what is buffered; call before the process exits. */
  shutdown(): Promise<void>;
}

/** The tracer provider is process-wide (it becomes the global one), so the first enabling call wins. */
let installed: Tracing | undefined;

export function initTracing(cfg: Pick<Config, 'OTEL_ENABLED' | 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'SERVICE_NAME'>, opts: { exporter?: SpanExporter } = {}): Tracing {
  if (!cfg.OTEL_ENABLED && !opts.exporter) return noTracing(cfg.SERVICE_NAME);
  if (installed) return installed;
  const resource = new Resource({ 'service.name': cfg.SERVICE_NAME });
  const spanProcessor = opts.exporter
    ? new SimpleSpanProcessor(opts.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(cfg.OTEL_EXPORTER_OTLP_ENDPOINT) }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  installed = { enabled: true, resource, spanProcessor, shutdown: () => provider.shutdown() };
  return installed;
}

/** Tracing off: spans made inside workflows are dropped. */
export function noTracing(serviceName = 'avrr'): Tracing {
  return { enabled: false, resource: new Resource({ 'service.name': serviceName }), spanProcessor: new NoopSpanProcessor(), shutdown: async () => undefined };
}

/** The OTLP convention: the variable holds the base URL and traces go to /v1/traces under it. */
function tracesUrl(endpoint: string | undefined): string | undefined {
  return endpoint ? `${endpoint.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/**
 * The workflow side of the interceptors, compiled into every workflow bundle, traced or not
 * (scripts/build-bundle.ts, worker/options.ts say why).
 */
export const WORKFLOW_TRACING_MODULE = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/** The Temporal client's interceptors: they carry the active span into the workflows it starts and updates. */
export function clientInterceptors(tracing: Tracing): { workflow: OpenTelemetryWorkflowClientInterceptor[] } | undefined {
  return tracing.enabled ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}
