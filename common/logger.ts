// The one pino logger: JSON in production and CI, pretty in a terminal.
// Never log names, document numbers or health details; log case IDs and request IDs.
import pino from 'pino';
import { isSpanContextValid, trace } from '@opentelemetry/api';

const pretty = process.stdout.isTTY && !process.env.CI && process.env.NODE_ENV !== 'production';

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: { service: process.env.SERVICE_NAME ?? 'avrr' },
  // A line logged inside a traced request or activity names its trace, so logs and traces join up.
  mixin: traceFields,
  // Belt and braces: if a person's fields ever reach a log call, they are masked.
  redact: {
    paths: ['*.givenName', '*.familyName', '*.dateOfBirth', '*.principal', '*.dependants', '*.password', 'req.headers.authorization', 'req.headers.cookie'],
    censor: '[redacted]',
  },
  transport: pretty ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } : undefined,
});

/** trace_id and span_id of the active span, if tracing is on and a span is active (common/tracing.ts). */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}
