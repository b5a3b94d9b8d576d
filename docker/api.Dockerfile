# syntax=docker/dockerfile:1
# The HTTP API. Node 24 runs the TypeScript sources directly (type stripping), so the image needs no compile step.

FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
# Manifests first: this layer is rebuilt only when dependencies change.
COPY package.json package-lock.json ./
COPY domain/package.json domain/
COPY activities/package.json activities/
COPY workflows/package.json workflows/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY site/package.json site/
# Production dependencies of the api workspace only (and the workspaces it links).
RUN npm ci --omit=dev --workspace=@reelbase/api --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app /app
COPY tsconfig.json ./
COPY domain/src domain/src
COPY workflows/src workflows/src
COPY apps/api/src apps/api/src
USER node
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.API_PORT || 3001) + '/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/api/src/main.ts"]
