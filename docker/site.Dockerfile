# syntax=docker/dockerfile:1
# The Astro site, built once here and served by @astrojs/node standalone.

FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY domain/package.json domain/
COPY activities/package.json activities/
COPY workflows/package.json workflows/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY site/package.json site/
RUN npm ci --workspace=@reelbase/site --no-audit --no-fund --loglevel=error
COPY site site
RUN cd site && ASTRO_TELEMETRY_DISABLED=1 node ../node_modules/astro/bin/astro.mjs build

FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY domain/package.json domain/
COPY activities/package.json activities/
COPY workflows/package.json workflows/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY site/package.json site/
RUN npm ci --omit=dev --workspace=@reelbase/site --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=deps /app /app
COPY --from=build /app/site/dist site/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/').then(r => process.exit(r.status < 500 ? 0 : 1), () => process.exit(1))"]
WORKDIR /app/site
CMD ["node", "dist/server/entry.mjs"]
