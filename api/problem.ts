// RFC 9457 problem documents, and the one place where failures become HTTP statuses.
// Operational errors (bad input, a rejected step, a dependency down) get a clear 4xx/503;
// anything else is a bug: logged with its stack, answered 500 with no detail.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { logger } from '../common/logger';
import type { RejectionCode } from '../workflows/domain/engine';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly code = title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
  ) {
    super(detail ?? title);
  }
}

export const notFound = (what = 'case') => new Problem(404, 'Not Found', `No ${what} with that ID is visible to you`);
export const forbidden = (detail: string) => new Problem(403, 'Forbidden', detail);

export function validationProblem(err: z.ZodError, where: 'body' | 'query' | 'params' | 'headers' = 'body'): Problem {
  return new Problem(422, 'Unprocessable Content', `The request ${where} is invalid`, {
    // An unknown key is reported at its own path, so a form can show it next to the field.
    errors: err.issues.flatMap((i): { path: string; message: string; code: string }[] =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: [where, ...i.path.map(String), k].join('.'), message: 'unknown field', code: i.code }))
        : [{ path: [where, ...i.path.map(String)].join('.'), message: i.message, code: i.code }],
    ),
  }, 'validation-failed');
}

// Typed by the domain's codes, so a new rejection code cannot be forgotten here.
const REJECTION_STATUS: Record<RejectionCode, number> = {
  UNKNOWN_ACTION: 404,
  NOT_DUE_YET: 409,
  ALREADY_DONE: 409,
  NOT_ALLOWED_NOW: 409,
  ROLE_NOT_ALLOWED: 403,
  NO_PLACES_LEFT: 409,
  NO_SLOTS_LEFT: 409,
  PROJECT_NOT_ENROLLING: 409,
  REBOOKING_LIMIT: 409,
  OVER_BUDGET: 422,
  INVALID_PAYLOAD: 422,
};

/** Maps a workflow's typed rejection (an ApplicationFailure) to a problem. */
export function fromTemporal(err: unknown): Problem | undefined {
  if (err instanceof WorkflowNotFoundError) return notFound();
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const f = err.cause;
    const status = f.type && f.type in REJECTION_STATUS ? REJECTION_STATUS[f.type as RejectionCode] : undefined;
    if (!status) return undefined;
    const details = (f.details?.[0] ?? {}) as { allowed?: string[]; issues?: { path: string; message: string }[] };
    return new Problem(status, titleFor(status), f.message, {
      reason: f.type,
      allowedActions: details.allowed ?? [],
      ...(details.issues?.length ? { errors: details.issues.map((i) => ({ path: `body.payload.${i.path}`, message: i.message })) } : {}),
    }, String(f.type).toLowerCase().replace(/_/g, '-'));
  }
  return undefined;
}

function titleFor(status: number): string {
  return { 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Content' }[status] ?? 'Error';
}

export function sendProblem(res: Parameters<RequestHandler>[1], p: Problem, instance?: string): void {
  const body: ProblemBody = {
    type: `https://avrr.example.org/problems/${p.code}`,
    title: p.title,
    status: p.status,
    ...(p.detail ? { detail: p.detail } : {}),
    ...(instance ? { instance } : {}),
    ...p.extensions,
  };
  res.status(p.status).type('application/problem+json').send(JSON.stringify(body));
}

/** Body-parser and other middleware errors carry a status; translate them, never echo their input. */
function fromHttpError(err: { status?: number; type?: string; statusCode?: number }): Problem | undefined {
  const status = err.status ?? err.statusCode;
  if (!status || status < 400 || status >= 500) return undefined;
  if (err.type === 'entity.too.large') return new Problem(413, 'Content Too Large', 'The request body is larger than allowed');
  if (err.type === 'entity.parse.failed') return new Problem(400, 'Bad Request', 'The request body must be a valid JSON object', {}, 'malformed-json');
  if (status === 415 || err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
    return new Problem(415, 'Unsupported Media Type', 'Send application/json');
  }
  return new Problem(status, 'Bad Request', 'The request could not be read');
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const problem = err instanceof Problem ? err : fromTemporal(err) ?? fromHttpError(err) ?? fromOutage(err);
  if (problem) {
    if (problem.code === 'dependency-unavailable') res.setHeader('Retry-After', String(RETRY_AFTER_S));
    if (problem.status >= 500) req.log?.warn({ err: { name: err?.name, message: problem.detail } }, 'dependency problem');
    return sendProblem(res, problem, req.originalUrl);
  }
  (req.log ?? logger).error({ err }, 'unhandled error');
  sendProblem(res, new Problem(500, 'Internal Server Error', 'Something went wrong on our side; it has been logged'), req.originalUrl);
};

export const notFoundHandler: RequestHandler = (req, res) =>
  sendProblem(res, new Problem(404, 'Not Found', 'There is no such route'), req.originalUrl);

const RETRY_AFTER_S = 5;

/**
 * A dependency that could not be reached: nothing was done, and a retry will do (503 with Retry-After). Postgres
 * refusing connections or still starting, the pool unable to connect, Temporal unreachable.
 */
const NOT_REACHED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', '57P03', '08001', '08004', '53300']);
const NOT_REACHED_MESSAGES = /^timeout exceeded when trying to connect/;
/**
 * A dependency lost in the middle of the request: the write may or may not have happened, so the client is told to
 * look before retrying (503, no Retry-After). A Temporal call that timed out is one of these: an update may still run.
 */
const INTERRUPTED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '08000', '08003', '08006']);
const INTERRUPTED_MESSAGES = /^(Connection terminated|Client has encountered a connection error)/;
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** Outages are a 503, not a 500. Looks through the error's causes: the Temporal client and the key store wrap them. */
function fromOutage(err: unknown): Problem | undefined {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const message = typeof e.message === 'string' ? e.message : '';
    if ((typeof e.code === 'string' && NOT_REACHED_CODES.has(e.code)) || NOT_REACHED_MESSAGES.test(message) || e.code === GRPC_UNAVAILABLE) {
      return new Problem(503, 'Service Unavailable', 'A service this API depends on is unavailable; retry shortly', {}, 'dependency-unavailable');
    }
    if ((typeof e.code === 'string' && INTERRUPTED_CODES.has(e.code)) || INTERRUPTED_MESSAGES.test(message) || e.code === GRPC_DEADLINE_EXCEEDED
      || e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') {
      return new Problem(503, 'Service Unavailable', 'A service this API depends on failed during the request, which may or may not have taken effect; read the case before retrying', {}, 'dependency-interrupted');
    }
  }
  return undefined;
}
