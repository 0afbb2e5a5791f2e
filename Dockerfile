# syntax=docker/dockerfile:1
# frontdesk runs from its TypeScript sources with tsx, exactly as `npm start` does, so the image runs the
# code the tests ran: there is no separate build output to drift from it.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The postinstall script and what it reads: it prepares the migrated embedded database that a first start
# copies. It needs only tsx, PGlite and drizzle, all runtime dependencies, so --omit=dev keeps it working.
COPY scripts/prepare-pglite-template.ts scripts/
COPY src/db/pglite-template.ts src/db/migrations-folder.ts src/db/
COPY src/db/migrations src/db/migrations/
# The postinstall only warns when it fails (a slow first start is no reason to fail an install); the image
# is built once for many starts, so here a missing template fails the build instead.
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force \
  && test -s node_modules/.cache/frontdesk/pglite-template/PG_VERSION

FROM node:20-bookworm-slim
WORKDIR /app
# Without DATABASE_URL the embedded database lives here; mount a volume on it to keep it across upgrades.
ENV DATA_DIR=/data
# Code and dependencies stay root's, read-only to the app; only the data folder is the app's to write.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json office.example.yaml ./
COPY src ./src
RUN mkdir /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# The slim image has no curl: Node's own fetch asks /healthz (200 once the database answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, so node itself gets SIGTERM and finishes requests in flight (src/main.ts). Run with an init
# (`docker run --init`, compose's `init: true`) to reap any process tsx leaves behind.
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=8", "--liftoff-only", "--v8-pool-size=1", "--import", "tsx", "src/main.ts"]
