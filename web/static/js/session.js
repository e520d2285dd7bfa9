// Who is logged in and what their role may do (from GET /api/v1/me, which reads the server's permission matrix).
import { api, setCsrfToken } from './api.js';

let current;

export function session() {
  return current;
}

export function can(permission) {
  return current?.permissions.includes(permission) ?? false;
}

/** Resumes the session the cookie still holds, if any; a reloaded page gets its CSRF token back this way. */
export async function restore() {
  try {
    adopt(await api('GET', '/api/v1/me'));
  } catch {
    adopt(undefined);
  }
  return current;
}

export async function login(email, password) {
  const started = await api('POST', '/api/v1/auth/session', { body: { email, password } });
  setCsrfToken(started.csrfToken);
  return restore();
}

export async function logout() {
  try {
    await api('DELETE', '/api/v1/auth/session');
  } finally {
    adopt(undefined);
  }
}

/** Drops the session locally, e.g. when the server says it has expired. */
export function forget() {
  adopt(undefined);
}

function adopt(me) {
  current = me ? { user: me.user, permissions: me.permissions } : undefined;
  setCsrfToken(me?.csrfToken);
}
