# syntax=docker/dockerfile:1
# The AVRR engine image: one image for the API, the worker and the migrations; the compose service (or the
# orchestrator) picks the command. Built in stages so the runtime image holds only compiled JavaScript, the
# pre-built workflow bundle and the production dependencies. Versions are pinned; docs/operations.md says
# how to move them.
ARG NODE_IMAGE=node:22.23.3-bookworm-slim
ARG NPM_VERSION=11.19.1

FROM ${NODE_IMAGE} AS deps
ARG NPM_VERSION
WORKDIR /app
# The project's npm honours package.json "allowScripts"; the npm bundled with Node may not.
RUN npm install -g npm@${NPM_VERSION}
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
# tsc → dist/, then the files the compiled code reads (migrations, web app, programmes), then the
# workflow bundle (dist/workflow-bundle.js): the worker never bundles at start in production.
RUN npx tsc -p tsconfig.build.json \
 && npx tsx scripts/copy-assets.ts \
 && npx tsx scripts/build-bundle.ts --out dist/workflow-bundle.js

FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000 9100
# Overridden per service: node dist/worker/main.js, node dist/scripts/migrate.js.
CMD ["node", "dist/api/main.js"]
