# syntax=docker/dockerfile:1.7
# One recipe for every DreamSeed image. Build from the repository root:
#   docker build --build-arg SERVICE=auth -t REGISTRY/dreamseed/auth:TAG .            (auth, exam, analytics, notification)
#   docker build --target migrate -t REGISTRY/dreamseed/migrate:TAG .                  (the migration Job)
#   docker build --target streams -t REGISTRY/dreamseed/streams:TAG .                  (the JetStream stream-setup Job)
# The build stage compiles the workspace and copies one package with its production dependencies only
# (infra/image/pnpm-deploy.sh, which tests/deploy also runs and starts with plain node, without Docker).
# The runtime stage is Node's slim image without npm, corepack or yarn, running as uid 1000 one process:
# node itself, which handles SIGTERM (the kit's graceful close).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS workspace
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
# The version pinned in package.json's packageManager.
RUN npm install --global --no-fund --no-audit pnpm@10.34.9 && pnpm config set store-dir /pnpm/store
WORKDIR /repo
# Dependencies first, from the lockfile alone, so source changes reuse this layer.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm fetch --frozen-lockfile
COPY . .
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile --offline

FROM workspace AS service-output
ARG SERVICE
RUN test -n "$SERVICE" || { echo 'set --build-arg SERVICE=auth|exam|analytics|notification' >&2; exit 1; }
RUN --mount=type=cache,id=pnpm,target=/pnpm/store bash infra/image/pnpm-deploy.sh /out "$SERVICE" && mv "/out/$SERVICE" /app

FROM workspace AS setup-output
RUN --mount=type=cache,id=pnpm,target=/pnpm/store bash infra/image/pnpm-deploy.sh /out schema events

FROM ${NODE_IMAGE} AS runtime
# No package managers in a running image: nothing to install with, nothing extra to patch.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production
WORKDIR /app
# The files stay root's and read-only to the process; uid 1000 is the image's "node" user, numeric so
# Kubernetes can verify runAsNonRoot.
USER 1000:1000

FROM runtime AS migrate
COPY --from=setup-output /out/schema /app
CMD ["node", "dist/cli/migrate.js"]

FROM runtime AS streams
COPY --from=setup-output /out/events /app
CMD ["node", "dist/cli/apply-streams.js"]

# Last, so a plain `docker build --build-arg SERVICE=...` builds a service.
FROM runtime AS service
ARG SERVICE
LABEL org.opencontainers.image.title="dreamseed-${SERVICE}"
COPY --from=service-output /app /app
# Each service's API port and its ops port (OPS_PORT: health, metrics, documents; never published).
EXPOSE 3001 3002 3003 3004 9001 9002 9003 9004
CMD ["node", "dist/server.js"]
