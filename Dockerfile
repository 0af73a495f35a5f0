# syntax=docker/dockerfile:1
# pii-review as a container: see README "Deploy". No secret is baked in: every setting is an
# environment variable given at run time (src/config.ts). test/integration/deploy.test.ts runs
# these npm steps and the CMD on a clean copy of the repository.
ARG NODE_IMAGE=node:20-bookworm-slim

# Stage 1: production dependencies only. tsx is one of them: it runs the TypeScript sources
# (there is no compile step), the same as `npm start`.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Stage 2: the runtime: those dependencies, the sources, a non-root user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json manifest.yml ./
COPY db ./db
COPY src ./src
COPY views ./views
# Embedded PGlite (no DATABASE_URL) keeps its data under .data: the one place the app writes.
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 3000
# The base image has no curl: Node asks /readyz (200 while the database answers, 503 while shutting down).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# Node itself is PID 1 (exec form, no npm or tsx CLI in between), so SIGTERM reaches the bot's
# handler: it stops taking requests, finishes the work in flight and closes the database.
CMD ["node", "--import", "tsx", "src/main.ts"]
