// Cross-origin and rate limits, applied before any route. CORS is closed by default: only the origins
// in CORS_ORIGINS (e.g. the Temporal UI calling the codec server) get CORS headers.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { Problem } from './problem';

export function cors(allowedOrigins: string | undefined): RequestHandler {
  const allowed = new Set((allowedOrigins ?? '').split(',').map((o) => o.trim()).filter(Boolean));
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!origin || !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, X-Namespace, X-CSRF-Token');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

/**
 * A fixed one-minute window per client: the bearer credential when there is one (so offices behind one NAT
 * do not share a budget), else the address. In memory, per API process: behind N replicas the effective
 * limit is N times this; a shared limiter belongs at the ingress (docs/operations.md).
 */
export function rateLimit(perMinute: number, exempt: (path: string) => boolean): RequestHandler {
  const windows = new Map<string, { start: number; count: number }>();
  setInterval(() => {
    const cutoff = Date.now() - 60_000;
    for (const [k, w] of windows) if (w.start < cutoff) windows.delete(k);
  }, 60_000).unref();
  return (req, res, next) => {
    if (exempt(req.path)) return next();
    const credential = req.headers.authorization ?? req.cookies?.avrr_session;
    const client = credential ? crypto.createHash('sha256').update(String(credential)).digest('base64url') : `ip:${req.ip}`;
    const now = Date.now();
    let w = windows.get(client);
    if (!w || now - w.start >= 60_000) windows.set(client, (w = { start: now, count: 0 }));
    w.count++;
    res.setHeader('RateLimit-Limit', String(perMinute));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, perMinute - w.count)));
    if (w.count > perMinute) {
      const retryAfter = Math.ceil((w.start + 60_000 - now) / 1000);
      res.setHeader('Retry-After', String(retryAfter));
      return next(new Problem(429, 'Too Many Requests', `Slow down: at most ${perMinute} requests a minute; retry in ${retryAfter} s`));
    }
    next();
  };
}
