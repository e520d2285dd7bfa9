// The OpenAPI 3.1 document (generated from the routes' zod schemas) and the interactive docs beside it.
import path from 'node:path';
import express from 'express';
import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { endpoint, type Api } from './route';

export function openApiDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'AVRR case workflow engine',
      version: '1.0.0',
      description: 'Assisted voluntary return and reintegration cases as durable workflows. Errors are RFC 9457 problem documents.',
    },
    servers: [{ url: '/' }],
  });
}

export function docsRoutes(api: Api, document: () => object): void {
  endpoint(api, {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tags: ['system'],
    responses: { 200: { description: 'OpenAPI document', content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } } } },
    handler: ({ res }) => void res.json(document()),
  });
  endpoint(api, {
    method: 'get',
    path: '/api/docs',
    summary: 'Interactive API documentation',
    tags: ['system'],
    responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
    handler: ({ res }) => void res.type('html').send(DOCS_PAGE),
  });
  const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  api.router.use('/api/docs/assets', express.static(swaggerDir, { index: false }));
}

// No inline script (the CSP forbids it): the initialiser is a static file.
const DOCS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AVRR API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs-init.js"></script></body></html>`;
