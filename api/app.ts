// The Express application, built from its dependencies (createApp(deps)) so tests pass real ones.
import crypto from 'node:crypto';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { logger } from '../common/logger';
import { createAuth } from './auth';
import { createOidcVerifier } from './oidc';
import { cors, rateLimit } from './http-guards';
import type { AppDeps } from './deps';
import { errorHandler, notFoundHandler, Problem } from './problem';
import type { Api } from './route';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { caseRoutes } from './routes/cases';
import { cooperationRoutes } from './routes/cooperation';
import { healthRoutes } from './routes/health';
import { meRoutes } from './routes/me';
import { partnerRoutes } from './routes/partners';
import { programmeRoutes } from './routes/programmes';
import { reportRoutes } from './routes/reports';
import { workqueueRoutes } from './routes/workqueues';
import { docsRoutes, openApiDocument } from './openapi';
import { codecRoutes } from './routes/codec';
import { erasureRoutes } from './routes/erasure';
import { observability } from './metrics';

export const API_BASE = '/api/v1';
export const BODY_LIMIT = '100kb';

export function createApp(deps: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(observability(deps));
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Only method, path and status: query strings and bodies may hold personal data.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
    }),
  );
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] } } }));
  app.use(cookieParser());
  app.use(cors(deps.config.CORS_ORIGINS));
  app.use(rateLimit(deps.config.RATE_LIMIT_PER_MINUTE, (path) => path === '/health' || path === '/metrics'));
  app.use(requireJson);
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));

  const auth = createAuth(deps.pool, deps.config.AUTH_SECRET ?? 'dev-only-secret', createOidcVerifier(deps.config));
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });

  const root: Api = { registry, router: express.Router(), auth, basePath: '' };
  healthRoutes(root, deps);
  const v1: Api = { registry, router: express.Router(), auth, basePath: API_BASE };
  authRoutes(v1);
  meRoutes(v1);
  programmeRoutes(v1, deps);
  caseRoutes(v1, deps);
  erasureRoutes(v1, deps);
  cooperationRoutes(v1, deps);
  auditRoutes(v1, deps);
  partnerRoutes(v1, deps);
  workqueueRoutes(v1, deps);
  reportRoutes(v1, deps);

  // The docs routes are part of the document too, so it is generated after they are declared.
  let document: ReturnType<typeof openApiDocument> | undefined;
  codecRoutes(root, deps);
  docsRoutes(root, () => (document ??= openApiDocument(registry)));
  document = openApiDocument(registry);

  app.use(root.router);
  app.use(API_BASE, v1.router);
  app.use(express.static(path.resolve(__dirname, '..', 'web', 'static'), { index: 'index.html' }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, document, routers: [root, v1] };
}

/** A body that is not JSON gets 415 before any parser sees it. */
const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    return next(new Problem(415, 'Unsupported Media Type', 'Send the body as application/json'));
  }
  next();
};
