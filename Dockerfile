# syntax=docker/dockerfile:1
# Precision Hub: one image, one service per container, chosen by the command:
#   gateway/index.js (default) · subgraphs/patient/index.js · subgraphs/genomics/index.js ·
#   subgraphs/knowledge-graph/index.js · subgraphs/inference/index.js
# plus the production CLIs: scripts/ingest.js, scripts/apikey.js, scripts/pq.js, scripts/events.js,
# scripts/train.js, knowledge-graph/import.js (the importers' job).
#   docker build -t precision-hub .
#   docker run --read-only --tmpfs /tmp -e DATABASE_URL=... -e HUB_INTERNAL_SECRET=... -e JWT_JWKS_URL=... precision-hub
#   docker run ... precision-hub subgraphs/patient/index.js
# No secret is baked in: DATABASE_URL, NEO4J_*, HUB_INTERNAL_SECRET and JWT_* come from the
# environment (Kubernetes Secrets, deploy/k8s). Neo4j is not in the image: set NEO4J_URI.
# NODE_IMAGE: any Debian-based Node 20 image; deploy/image/local-base.sh makes one from Debian's
# packages where no image registry is reachable.
ARG NODE_IMAGE=node:20.20-bookworm-slim

# --- build: all dependencies, compile TypeScript and the dashboard into dist/ ---
FROM ${NODE_IMAGE} AS build
WORKDIR /src
# .npmrc: onnxruntime-node-install=skip (the CPU binaries ship in the package; its installer would
# fetch a CUDA add-on). The root postinstall (Neo4j launcher, Maven model) finds no Maven and skips.
COPY package.json package-lock.json .npmrc ./
COPY scripts/postinstall.js scripts/postinstall.js
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY types types
COPY lib lib
COPY gateway gateway
COPY subgraphs subgraphs
COPY knowledge-graph knowledge-graph
COPY schema schema
COPY scripts scripts
COPY dashboard dashboard
RUN npm run build

# --- deps: production dependencies only ---
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY scripts/postinstall.js scripts/postinstall.js
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
# HOST: listen on the pod's address. TMPDIR and /var/lib/precision-hub are the only places written
# (mount an emptyDir or tmpfs there; the root filesystem can be read-only). MODEL_DIR: the notes-NLP
# model folder (mount one; without it the hub runs with NLP off). KG_RELEASES_DIR: release files the
# knowledge-graph importers read.
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    TMPDIR=/tmp \
    MODEL_DIR=/var/lib/precision-hub/models \
    KG_RELEASES_DIR=/var/lib/precision-hub/releases
RUN groupadd --system --gid 10001 hub \
    && useradd --system --uid 10001 --gid hub --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin hub \
    && mkdir -p /var/lib/precision-hub \
    && chown hub:hub /var/lib/precision-hub
WORKDIR /app
# Code and dependencies belong to root and are read-only to the service's user.
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./
COPY package.json ./
COPY deploy/image/healthcheck.js ./healthcheck.js
USER 10001:10001
EXPOSE 4000 4001 4002 4003 4004
# GET /health of the service this container runs (its port from the same variables the service reads).
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 CMD ["node", "/app/healthcheck.js"]
# The services stop cleanly on SIGTERM (lib/lifecycle.ts): node runs as PID 1 and handles it.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node"]
CMD ["gateway/index.js"]
