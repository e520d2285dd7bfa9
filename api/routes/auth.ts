// Logging in. POST /auth/login gives API clients a bearer token; POST/DELETE /auth/session give the web app
// the same token in an httpOnly cookie (script cannot read it) plus a CSRF token for its writes.
import type { Request } from 'express';
import { z } from 'zod';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../auth';
import { Problem } from '../problem';
import { endpoint, type Api } from '../route';
import { ProblemSchema } from '../schemas';
import { Role } from '../../workflows/domain/vocabulary';

const Login = z.strictObject({ email: z.email().max(254), password: z.string().min(1).max(200) });
const SessionUser = z.object({ userId: z.string(), role: Role, office: z.string().optional() });
export const SessionSchema = z.object({
  csrfToken: z.string().describe('Send it as the x-csrf-token header on every write made with the session cookie'),
  user: SessionUser,
});
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });

/** Strict same-site, script-proof, and Secure whenever the browser reached us over https. */
function cookieOptions(req: Request) {
  return { httpOnly: true, sameSite: 'strict' as const, secure: req.secure, path: '/' };
}

export function authRoutes(api: Api): void {
  endpoint(api, {
    method: 'post',
    path: '/auth/login',
    summary: 'Log in with a local account; returns a bearer token',
    tags: ['auth'],
    body: Login,
    responses: {
      200: { description: 'The token', content: { 'application/json': { schema: z.object({ token: z.string() }) } } },
      401: problem('Wrong email or password'),
    },
    handler: async ({ res, body }) => {
      const token = await api.auth.login(body.email, body.password);
      if (!token) throw new Problem(401, 'Unauthorized', 'Wrong email or password');
      res.json({ token });
    },
  });

  endpoint(api, {
    method: 'post',
    path: '/auth/session',
    summary: 'Log in for the web app: sets the avrr_session cookie and returns the CSRF token for writes',
    tags: ['auth'],
    body: Login,
    responses: {
      200: { description: 'Logged in; the cookie is set', content: { 'application/json': { schema: SessionSchema } } },
      401: problem('Wrong email or password'),
    },
    handler: async ({ req, res, body }) => {
      const session = await api.auth.startSession(body.email, body.password);
      if (!session) throw new Problem(401, 'Unauthorized', 'Wrong email or password');
      const { userId, role, office } = session.principal;
      res.cookie(SESSION_COOKIE, session.token, { ...cookieOptions(req), maxAge: SESSION_TTL_MS });
      // Never cached: the body carries a secret of this session.
      res.set('cache-control', 'no-store').json({ csrfToken: session.csrfToken, user: { userId, role, office } });
    },
  });

  endpoint(api, {
    method: 'delete',
    path: '/auth/session',
    summary: 'Log out of the web app: clears the session cookie',
    tags: ['auth'],
    responses: { 204: { description: 'Logged out (also when no session was open)' } },
    // Public on purpose: an expired session must still be able to clear its cookie.
    handler: ({ req, res }) => {
      res.clearCookie(SESSION_COOKIE, cookieOptions(req)).status(204).end();
    },
  });
}
