# genesys-otel-enricher: OTLP/gRPC in, spans stamped with Genesys Cloud identity, OTLP/gRPC out.
#
#   docker build -t genesys-otel-enricher .
#   docker run -p 4317:4317 -p 4318:4318 -p 127.0.0.1:8081:8081 -v enricher-data:/var/lib/genesys-otel-enricher \
#     -e ENRICHER_EXPORT_OTLP_ENDPOINT=http://jaeger:4317 genesys-otel-enricher
#
# Without GENESYS_CLIENT_ID the service starts its built-in Genesys simulator; set
# GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION for a real org.
# A YAML configuration file instead (environment variables still override it):
#   docker run -v "$PWD/enricher.yaml:/etc/enricher/enricher.yaml:ro" \
#     -e ENRICHER_CONFIG=/etc/enricher/enricher.yaml genesys-otel-enricher
# The image's ENRICHER_ADMIN_ADDRESS (below) overrides admin.address of a file, so the HEALTHCHECK holds;
# its ENRICHER_OTLP_GRPC_ADDRESS / ENRICHER_OTLP_HTTP_ADDRESS likewise override the receivers' addresses.
# docker-compose.yml beside this file runs the whole demo topology.

# Node.js 24 (LTS). package.json "engines" says what runs it: >=20.6 (the tests run on 20 too).
#
# ---- build: full dependency tree (TypeScript is a dev dependency), compile src/ into dist/ ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
# Manifests first so the dependency layer is cached until they change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY proto ./proto
COPY src ./src
# tsconfig also includes test/ and benchmarks/; .dockerignore keeps them out, so only src/ compiles.
RUN npx tsc -p tsconfig.json

# ---- runtime: production dependencies, compiled code and the .proto files it loads ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# src/otlp/protos.ts looks for proto/ two levels above dist/src/otlp, i.e. /app/proto.
COPY proto ./proto

# Inside a container the admin/health server and the receivers must listen beyond loopback
# for probes and port publishing (the service itself defaults to 127.0.0.1, as the Collector);
# the host-side binding (docker-compose.yml) decides who can reach them. Without
# ENRICHER_RECEIVER_BEARER_TOKEN or mTLS the service warns at start-up that anyone who
# reaches 4317/4318 may send spans.
ENV ENRICHER_ADMIN_ADDRESS=0.0.0.0:8081 \
    ENRICHER_OTLP_GRPC_ADDRESS=0.0.0.0:4317 \
    ENRICHER_OTLP_HTTP_ADDRESS=0.0.0.0:4318

# /app belongs to root and stays read-only for the service. What it writes lives under
# /var/lib/genesys-otel-enricher, owned by the node user, declared a volume so it outlives the
# container: the deactivation journal always, and the persistent sending queue when you set
# ENRICHER_EXPORT_QUEUE_DIR=/var/lib/genesys-otel-enricher/queue (in memory otherwise).
# The service checks at start-up that these directories are writable and exits 2 naming the
# setting when not (a bind mount must be writable by uid 1000).
RUN mkdir -p /var/lib/genesys-otel-enricher/journal /var/lib/genesys-otel-enricher/queue \
  && chown -R node:node /var/lib/genesys-otel-enricher
ENV ENRICHER_DATA_DIR=/var/lib/genesys-otel-enricher/journal
VOLUME ["/var/lib/genesys-otel-enricher"]

# The official node image ships an unprivileged "node" user (uid 1000).
USER node

# 4317: OTLP/gRPC receiver (ENRICHER_OTLP_GRPC_ADDRESS). 4318: OTLP/HTTP receiver
# (ENRICHER_OTLP_HTTP_ADDRESS). 8081: admin and GET /healthz.
EXPOSE 4317 4318 8081

# Slim images have no curl or wget: node itself asks /healthz. The port follows
# ENRICHER_ADMIN_ADDRESS above; override the health check if you move it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "require('http').get('http://127.0.0.1:8081/healthz', { timeout: 4000 }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1)).on('timeout', () => process.exit(1))"]

# --max-semi-space-size: the Node.js flag the service is tuned for (src/service/nodeFlags.ts).
CMD ["node", "--max-semi-space-size=32", "dist/src/cli/main.js", "serve"]
