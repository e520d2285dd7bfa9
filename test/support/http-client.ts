// A Harness for an app that is already running somewhere (started by startApp directly, or a separate process):
// only login and HTTP, which is all Journey needs. Used by tests and benchmarks that do not own the app.
import { DEMO_ACCOUNTS } from '../../db/seed';
import type { Harness } from './harness';

export function remoteHarness(url: string): Harness {
  const tokens = new Map<string, string>();
  const http: Harness['http'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
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
  // The rest of Harness (pool, Temporal client, stop) belongs to whoever started the app.
  return { url, http, token } as Harness;
}
