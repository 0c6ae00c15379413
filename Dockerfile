# The hub's production image: `docker build -t grievance-hub .` (docs/deploying.md).
# One image for every role: HUB_ROLE=api|worker picks what a container runs, and
# `npm run migrate` runs as its own step (a Kubernetes Job) before new pods start.

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY stubs ./stubs
COPY prisma ./prisma
# postinstall generates the Prisma client (no engine download: PRISMA_SCHEMA_ENGINE_BINARY).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY adapters ./adapters
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
# node_modules/@prisma/streams-local links to stubs/ (a local package).
COPY --from=build /app/stubs ./stubs
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Migrations are read at run time by `npm run migrate`; config/ holds the YAML the hub validates.
COPY --from=build /app/prisma ./prisma
COPY config ./config
USER node
EXPOSE 3000
# The container runtime's own check; Kubernetes uses the probes in deploy/k8s instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health/live').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node, not npm: SIGTERM reaches the hub itself (graceful shutdown, SHUTDOWN_TIMEOUT).
CMD ["node", "--max-old-space-size=1000", "dist/src/main.js"]
