# syntax=docker/dockerfile:1
# frontdesk runs compiled: `npm ci` builds src/ into build/ (the prepare script), from the same sources the
# tests ran, and the image keeps only build/, the runtime dependencies and the example office.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc tsconfig.json tsconfig.build.json ./
# The postinstall script prepares the migrated embedded database that a first start copies; the prepare
# script compiles src/. Both need only runtime dependencies (tsx, TypeScript, PGlite, drizzle), so
# --omit=dev keeps them working.
COPY scripts/prepare-pglite-template.ts scripts/build.ts scripts/
COPY src src/
# The postinstall only warns when it fails (a slow first start is no reason to fail an install); the image
# is built once for many starts, so here a missing template fails the build instead.
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force \
  && test -s node_modules/.cache/frontdesk/pglite-template/PG_VERSION \
  && test -s build/main.js

FROM node:20-bookworm-slim
WORKDIR /app
# Without DATABASE_URL the embedded database lives here; mount a volume on it to keep it across upgrades.
ENV DATA_DIR=/data
# Code and dependencies stay root's, read-only to the app; only the data folder is the app's to write.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY package.json office.example.yaml ./
RUN mkdir /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# The slim image has no curl: Node's own fetch asks /healthz (200 once the database answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, so node itself gets SIGTERM and finishes requests in flight (src/main.ts). Run with an init
# (`docker run --init`, compose's `init: true`) so PID 1 reaps any child process.
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=8", "--liftoff-only", "--v8-pool-size=1", "build/main.js"]
