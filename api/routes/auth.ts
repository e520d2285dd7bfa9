// POST /api/v1/auth/login: local accounts (the embedded default) exchange email + password for a bearer token.
import { z } from 'zod';
import { Problem } from '../problem';
import { endpoint, type Api } from '../route';
import { ProblemSchema } from '../schemas';

const Login = z.strictObject({ email: z.email().max(254), password: z.string().min(1).max(200) });

export function authRoutes(api: Api): void {
  endpoint(api, {
    method: 'post',
    path: '/auth/login',
    summary: 'Log in with a local account; returns a bearer token',
    tags: ['auth'],
    body: Login,
    responses: {
      200: { description: 'The token', content: { 'application/json': { schema: z.object({ token: z.string() }) } } },
      401: { description: 'Wrong email or password', content: { 'application/problem+json': { schema: ProblemSchema } } },
    },
    handler: async ({ res, body }) => {
      const token = await api.auth.login(body.email, body.password);
      if (!token) throw new Problem(401, 'Unauthorized', 'Wrong email or password');
      res.json({ token });
    },
  });
}
