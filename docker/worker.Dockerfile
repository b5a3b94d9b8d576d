# syntax=docker/dockerfile:1
# The Temporal worker: workflows (prebuilt bundle) and activities (ffmpeg, WebRTC ingest).

FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY domain/package.json domain/
COPY activities/package.json activities/
COPY workflows/package.json workflows/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY site/package.json site/
RUN npm ci --omit=dev --workspace=@reelbase/worker --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

# Bundling the workflows here means workers start without running webpack.
FROM deps AS bundle
COPY tsconfig.json ./
COPY domain/src domain/src
COPY workflows/src workflows/src
COPY activities/src activities/src
COPY apps/worker/src apps/worker/src
RUN node apps/worker/src/bundleWorkflows.ts /app/apps/worker/dist/workflow-bundle.js

FROM node:24.21.0-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/apps/worker/dist/workflow-bundle.js \
    WORKER_HEALTH_FILE=/tmp/worker-health.json \
    TMPDIR=/tmp
WORKDIR /app
COPY --from=bundle /app /app
USER node
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=4 \
  CMD ["node", "apps/worker/src/healthcheck.ts"]
# SIGTERM lets in-flight activities finish or hand back (Temporal retries them on another worker).
STOPSIGNAL SIGTERM
CMD ["node", "apps/worker/src/main.ts"]
