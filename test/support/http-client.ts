// HTTP helpers for tests and benchmarks: JSON requests to the app and cached demo-account logins.
// remoteHarness() wraps an app that is already running somewhere (started by startApp directly, or a
// separate process): only login and HTTP, which is all Journey needs.
import { DEMO_ACCOUNTS } from '../../db/seed';
import type { Harness } from './harness';

export interface HttpClient {
  http(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  token(email: string): Promise<string>;
}

export function httpClient(url: string): HttpClient {
  const tokens = new Map<string, string>();
  const http: HttpClient['http'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, {
      method,
      headers,
      // A string is sent as it is, so tests can send malformed JSON.
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body, headers: res.headers };
  };
  const token = async (email: string) => {
    if (!tokens.has(email)) {
      const password = DEMO_ACCOUNTS.find((a) => a.email === email)!.password;
      const r = await http('POST', '/api/v1/auth/login', { body: { email, password } });
      if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status}`);
      tokens.set(email, (r.body as { token: string }).token);
    }
    return tokens.get(email)!;
  };
  return { http, token };
}

export function remoteHarness(url: string): Harness {
  // The rest of Harness (pool, Temporal client, stop) belongs to whoever started the app.
  return { url, ...httpClient(url) } as Harness;
}
