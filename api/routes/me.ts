// GET /me: who the caller is and what their role may do, so the web app shows only what they can use.
import { z } from 'zod';
import { MATRIX, PERMISSIONS } from '../authz';
import { endpoint, type Api } from '../route';
import { ProblemSchema } from '../schemas';
import { Role } from '../../workflows/domain/vocabulary';

const Me = z.object({
  user: z.object({ userId: z.string(), role: Role, office: z.string().optional(), partnerId: z.string().optional() }),
  permissions: z.array(z.enum(PERMISSIONS)),
  csrfToken: z.string().optional().describe('Present when authenticated by the session cookie: lets a reloaded page write again'),
});

export function meRoutes(api: Api): void {
  endpoint(api, {
    method: 'get',
    path: '/me',
    summary: 'The authenticated principal and the permissions of its role',
    tags: ['auth'],
    permission: 'authenticated',
    responses: {
      200: { description: 'You', content: { 'application/json': { schema: Me } } },
      401: { description: 'Not logged in', content: { 'application/problem+json': { schema: ProblemSchema } } },
    },
    handler: ({ req, res }) => {
      const { userId, role, office, partnerId } = req.principal!;
      res.set('cache-control', 'no-store').json({
        user: { userId, role, office, partnerId },
        permissions: MATRIX[role],
        csrfToken: req.csrfToken,
      });
    },
  });
}
