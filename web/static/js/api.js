// The one way the web app talks to the server: JSON in, JSON out, problem documents (RFC 9457) as ApiError.
// The session cookie rides along by itself; writes add the CSRF token the session gave us.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

let csrfToken;
let onUnauthorized = () => undefined;

export function setCsrfToken(token) {
  csrfToken = token;
}

/** Called on any 401, so an expired session sends the user back to the login page. */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export async function api(method, path, { body, headers = {} } = {}) {
  const h = { accept: 'application/json, application/problem+json', ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) h['x-csrf-token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, { method, headers: h, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { title: 'offline' });
  }
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && !path.endsWith('/auth/session')) onUnauthorized();
    throw new ApiError(res.status, data);
  }
  return data;
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
