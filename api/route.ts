// One declaration per endpoint: the same zod schemas validate the request and generate the OpenAPI document,
// so every route the server answers is documented, and the docs cannot drift from the checks.
import type { Request, RequestHandler, Response, Router } from 'express';
import { OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Permission } from './authz';
import type { Auth } from './auth';
import { validationProblem } from './problem';

export interface Endpoint<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  /** Express path, e.g. /cases/:id — the OpenAPI path is derived from it. */
  path: string;
  summary: string;
  tags: string[];
  /** Omitted for public endpoints (health, login, docs); 'authenticated' for any logged-in caller. */
  permission?: Permission | 'authenticated';
  params?: P;
  query?: Q;
  body?: B;
  headers?: z.ZodObject;
  responses: RouteConfig['responses'];
  handler: (ctx: { req: Request; res: Response; params: z.infer<P>; query: z.infer<Q>; body: z.infer<B> }) => Promise<void> | void;
}

export interface Api {
  registry: OpenAPIRegistry;
  router: Router;
  auth: Auth;
  basePath: string;
}

export function endpoint<P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUnknown>(
  api: Api,
  e: Endpoint<P, Q, B>,
): void {
  api.registry.registerPath({
    method: e.method,
    path: api.basePath + e.path.replace(/:(\w+)/g, '{$1}'),
    summary: e.summary,
    tags: e.tags,
    security: e.permission ? [{ bearerAuth: [] }] : [],
    // The permission (api/authz.ts MATRIX) the route requires, for clients and for the role × endpoint test.
    ...(e.permission ? { 'x-permission': e.permission } : {}),
    request: {
      params: e.params as never,
      query: e.query as never,
      headers: e.headers as never,
      body: e.body ? { required: true, content: { 'application/json': { schema: e.body } } } : undefined,
    },
    responses: e.responses,
  });
  const chain: RequestHandler[] = [];
  if (e.permission) chain.push(api.auth.authenticate);
  if (e.permission && e.permission !== 'authenticated') chain.push(api.auth.require(e.permission));
  chain.push(async (req, res) => {
    const params = parse(e.params, req.params, 'params');
    const query = parse(e.query, req.query, 'query');
    const body = e.body ? parse(e.body, req.body, 'body') : undefined;
    await e.handler({ req, res, params, query, body: body as z.infer<B> });
  });
  api.router[e.method](e.path, ...chain);
}

function parse<S extends z.ZodType | undefined>(schema: S, value: unknown, where: 'params' | 'query' | 'body') {
  if (!schema) return value as never;
  if (where === 'body' && value === undefined) value = {};
  const r = schema.safeParse(value);
  if (!r.success) throw validationProblem(r.error, where);
  return r.data as never;
}
