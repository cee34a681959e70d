/**
 * What each setting means and what it defaults to, for people: the source of the
 * settings table in docs/configuration.md (`npm run docs:config` writes it).
 * A setting missing here is still documented there, from its comment in
 * otel-config/enricher.example.yaml and the default the validator applies; add a
 * row here when that is not enough. Markdown; links are relative to docs/.
 */
export interface SettingDoc {
  /** What it does, and how it interacts with others. */
  readonly meaning: string;
  /** The default, or what happens when it is unset. */
  readonly default: string;
}

export const SETTING_DOCS: Readonly<Record<string, SettingDoc>> = Object.freeze({
  GENESYS_CLIENT_ID: { meaning: "OAuth client id of a client-credentials grant of your Genesys Cloud org (with `GENESYS_CLIENT_SECRET`)", default: "unset: the built-in simulator is started and used" },
  GENESYS_CLIENT_SECRET: { meaning: "the secret of that grant; never logged nor printed", default: "unset: the built-in simulator is started and used" },
  GENESYS_REGION: { meaning: "region host, e.g. `mypurecloud.ie`, `usw2.pure.cloud`", default: "`mypurecloud.com`" },
  GENESYS_API_URL: { meaning: "base URL replacing the region for API *and* OAuth calls (simulator, proxy), e.g. `http://127.0.0.1:9000`", default: "unset" },
  GENESYS_REQUEST_TIMEOUT_MS: { meaning: "timeout of one Genesys HTTP request", default: "`5000`" },
  ENRICHER_OTLP_GRPC_ADDRESS: { meaning: "OTLP/gRPC listen address", default: "`0.0.0.0:4317`" },
  ENRICHER_OTLP_GRPC_MAX_RECV_MIB: { meaning: "largest accepted request (after gzip decompression), MiB", default: "`16`" },
  ENRICHER_OTLP_GRPC_WINDOW_KIB: { meaning: "HTTP/2 receive window of the OTLP/gRPC receiver (per stream and per connection), KiB; `64` keeps grpc-js's own; see [performance](performance.md#http2-flow-control)", default: "`1024`" },
  ENRICHER_OTLP_GRPC_MAX_CONCURRENT_REQUESTS: { meaning: "requests processed at once, per receiver (gRPC and HTTP each); beyond it `UNAVAILABLE` + RetryInfo; `0`: no cap", default: "`256`" },
  ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS: { meaning: "longest a request may take until its spans are queued; then `DEADLINE_EXCEEDED`; must exceed `ENRICHER_LOOKUP_BUDGET_MS`; `0`: none", default: "`30000`" },
  ENRICHER_OTLP_GRPC_KEEPALIVE_TIME_MS: { meaning: "the server pings a connection idle this long (`grpc.keepalive_time_ms`)", default: "unset: never" },
  ENRICHER_OTLP_GRPC_KEEPALIVE_TIMEOUT_MS: { meaning: "a pinged connection whose ping is not answered within this is closed (`grpc.keepalive_timeout_ms`)", default: "`20000` (grpc-js)" },
  ENRICHER_OTLP_GRPC_MAX_CONNECTION_IDLE_MS: { meaning: "a connection without calls this long is closed with GOAWAY", default: "unset: never" },
  ENRICHER_OTLP_GRPC_MAX_CONNECTION_AGE_MS: { meaning: "a connection this old is closed with GOAWAY, so clients reconnect and spread over replicas", default: "unset: never" },
  ENRICHER_OTLP_GRPC_MAX_CONNECTION_AGE_GRACE_MS: { meaning: "calls still running on a connection past its age may finish within this", default: "unset: no limit" },
  ENRICHER_MEMORY_LIMIT_MIB: { meaning: "[memory limit](operations.md#failure-modes) (RSS): from this minus the spike, requests are refused with `UNAVAILABLE` + RetryInfo; `0`: off", default: "unset: 80% of the container's memory limit, off outside a container" },
  ENRICHER_MEMORY_SPIKE_MIB: { meaning: "headroom below the limit where refusing starts", default: "20% of the limit" },
  ENRICHER_MEMORY_CHECK_INTERVAL_MS: { meaning: "how often memory is read", default: "`1000`" },
  ENRICHER_OTLP_HTTP_ADDRESS: { meaning: "[OTLP/HTTP](../README.md#otlphttp) listen address, or `off`", default: "`0.0.0.0:4318`" },
  ENRICHER_OTLP_HTTP_MAX_BODY_MIB: { meaning: "largest accepted OTLP/HTTP body, on the wire and after gzip decompression, MiB (413 above)", default: "`16`" },
  ENRICHER_OTLP_HTTP_CORS_ALLOWED_ORIGINS: { meaning: "origins browser exporters may send from, comma-separated `scheme://host[:port]`, or `*`", default: "unset: no cross-origin requests" },
  ENRICHER_TLS_CERT_FILE: { meaning: "PEM server certificate (chain): with `ENRICHER_TLS_KEY_FILE`, both receivers serve [TLS](../README.md#tls-and-authentication)", default: "unset: plaintext" },
  ENRICHER_TLS_KEY_FILE: { meaning: "its unencrypted PEM private key", default: "unset: plaintext" },
  ENRICHER_TLS_CLIENT_CA_FILE: { meaning: "PEM CA bundle: both receivers require client certificates chaining to it (mTLS)", default: "unset: no client certificates" },
  ENRICHER_RECEIVER_BEARER_TOKEN: { meaning: "token both receivers require as `authorization: Bearer <token>`", default: "unset: no authentication" },
  ENRICHER_EXPORT_OTLP_ENDPOINT: { meaning: "where enriched spans go, OTLP/gRPC: `http://` plaintext or `https://` TLS, e.g. `http://jaeger:4317`", default: "unset: a debug exporter prints enriched spans to stdout, with a warning" },
  ENRICHER_EXPORT_TLS_CA_FILE: { meaning: "PEM CA bundle trusted for an `https://` endpoint", default: "unset: the system roots" },
  ENRICHER_EXPORT_COMPRESSION: { meaning: "`gzip` or `none`", default: "`gzip`" },
  ENRICHER_EXPORT_HEADERS: { meaning: "gRPC metadata sent with every export, `name=value,name=value` (values percent-decoded), e.g. `authorization=Bearer%20abc,x-scope-orgid=acme`", default: "unset" },
  ENRICHER_EXPORT_TIMEOUT_MS: { meaning: "deadline of one export call", default: "`10000`" },
  ENRICHER_EXPORT_QUEUE_MAX_SPANS: { meaning: "sending-queue bound, spans", default: "`1000000`" },
  ENRICHER_EXPORT_QUEUE_MAX_MIB: { meaning: "sending-queue bound, MiB of requests", default: "`256`" },
  ENRICHER_EXPORT_CONCURRENCY: { meaning: "export calls in flight", default: "`4`" },
  ENRICHER_EXPORT_BACKPRESSURE_MS: { meaning: "[backpressure](operations.md#failure-modes): while the backend keeps up, the longest a request whose batch waits behind others is held before it is acknowledged; below `ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS` and your clients' export timeouts; `0`: acknowledged once queued", default: "`1000`" },
  ENRICHER_EXPORT_RETRY_INITIAL_MS: { meaning: "first retry backoff (jittered, ×1.5 per retry)", default: "`5000`" },
  ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS: { meaning: "largest retry backoff", default: "`30000`" },
  ENRICHER_EXPORT_RETRY_MAX_ELAPSED_MS: { meaning: "how long a batch is retried before it is dropped (counted, logged)", default: "`300000`" },
  ENRICHER_EXPORT_QUEUE_DIR: { meaning: "directory of the [persistent sending queue](operations.md#delivery-guarantees) (created if missing; one enricher per directory): requests are on disk before they are acknowledged and survive a crash or restart. Checked writable at start-up (exit 2 naming it); the Docker image has `/var/lib/genesys-otel-enricher/queue` on its volume", default: "unset: the queue is in memory" },
  ENRICHER_EXPORT_QUEUE_LOCK_STALE_SECONDS: { meaning: "a `queue.lock` whose heartbeat has stood still this long is taken over by another instance ([details](../README.md#security-files-locks-and-the-admin-api))", default: "`15`" },
  ENRICHER_SOURCE_ATTRIBUTE: { meaning: "attribute holding the Genesys user id", default: "`external.user.id`" },
  ENRICHER_LOOKUP_BUDGET_MS: { meaning: "longest a client waits for directory misses; what Genesys has not answered by then is held (`ENRICHER_LOOKUP_HOLD_MS`)", default: "`200`" },
  ENRICHER_LOOKUP_HOLD_MS: { meaning: "how long a request whose users were not answered within the budget is [held inside the enricher](../README.md#when-genesys-is-slow-throttling-or-down) for them (its client already answered); then its unresolved spans leave marked `failed`. `0`: no hold. Outlasts a Genesys `Retry-After` (at most about a minute) plus a look-up", default: "`90000`" },
  ENRICHER_LOOKUP_HOLD_MAX_SPANS: { meaning: "most spans held at once, part of `ENRICHER_EXPORT_QUEUE_MAX_SPANS`; beyond it the oldest held request leaves with what is known", default: "half of `ENRICHER_EXPORT_QUEUE_MAX_SPANS`" },
  ENRICHER_LOOKUP_HOLD_MAX_MIB: { meaning: "most request MiB held at once, part of `ENRICHER_EXPORT_QUEUE_MAX_MIB`, same rule", default: "half of `ENRICHER_EXPORT_QUEUE_MAX_MIB`" },
  ENRICHER_CACHE_MAX_ENTRIES: { meaning: "users kept in the cache", default: "`100000`" },
  ENRICHER_CACHE_TTL_SECONDS: { meaning: "freshness of a found user", default: "`600`" },
  ENRICHER_CACHE_NOT_FOUND_TTL_SECONDS: { meaning: "freshness of a \"no such user\" answer", default: "`60`" },
  ENRICHER_CACHE_STALE_SECONDS: { meaning: "how long past its TTL an entry is still served while it is refreshed (and while Genesys fails)", default: "`3600`" },
  ENRICHER_WARMUP: { meaning: "load the whole org into the cache at start (`GET /api/v2/users/query`, cursor paging, every state) and keep reloading it; `/readyz` waits for the first load. About 20 calls for 10,000 users ([measured](../README.md#when-genesys-is-slow-throttling-or-down)); `off`: users are looked up as they appear", default: "`on`" },
  ENRICHER_WARMUP_TIMEOUT_MS: { meaning: "how long `/readyz` waits for that first load before reporting ready anyway (`0`: no wait)", default: "`30000`" },
  ENRICHER_WARMUP_REFRESH_SECONDS: { meaning: "pause between reloads (`0`: load once); keep it below `ENRICHER_CACHE_TTL_SECONDS`", default: "`300`" },
  ENRICHER_GENESYS_BREAKER_FAILURES: { meaning: "consecutive failed bulk look-ups that open the Genesys [circuit breaker](operations.md#failure-modes); `0`: never opens", default: "`5`" },
  ENRICHER_GENESYS_BREAKER_COOLDOWN_MS: { meaning: "how long the circuit stays open before one probe look-up", default: "`30000`" },
  ENRICHER_ADMIN_ADDRESS: { meaning: "admin HTTP listen address (`/healthz`, `/readyz`, [`/metrics`](operations.md#metrics), `/v1/users/…`)", default: "`127.0.0.1:8081`" },
  ENRICHER_ADMIN_TOKEN: { meaning: "bearer token for the `/v1` admin routes ([soft-deactivation](../README.md#administrators-soft-deactivation)), at least 32 characters (`openssl rand -hex 32`); failed attempts are throttled per client address (429 + `Retry-After`)", default: "unset: those routes answer 403 `admin_disabled`" },
  ENRICHER_DATA_DIR: { meaning: "directory of the deactivation journal (snapshots, step outcomes). Checked writable at start-up when `ENRICHER_ADMIN_TOKEN` is set, and by the CLI (exit 2 naming it)", default: "`./data`; the Docker image sets `/var/lib/genesys-otel-enricher/journal`, on its volume" },
  ENRICHER_GENESYS_MAX_RPM: { meaning: "the process's Genesys budget: requests per minute for look-ups, warm-up and deactivation runs together (one token bucket, first come first served; a 429 pauses it for its `Retry-After`). Genesys allows 300 per OAuth client", default: "`240`" },
  ENRICHER_LOG_LEVEL: { meaning: "`trace` `debug` `info` `warn` `error` `fatal` `silent`", default: "`info`" },
  ENRICHER_SHUTDOWN_GRACE_MS: { meaning: "on SIGTERM, how long the export queue may drain", default: "`10000`" },
  ENRICHER_WORKERS: { meaning: "processes serving (node:cluster workers sharing every port), or `auto` (one per CPU); see [Tuning](operations.md#tuning)", default: "`1`" },
  ENRICHER_CONFIG: { meaning: "path of a [YAML configuration file](#the-configuration-file) (`--config` wins over it)", default: "unset: environment only" },
  ENRICHER_SELF_TELEMETRY: { meaning: "`on` / `off`: the service's [own traces](operations.md#self-telemetry-and-logs), configured by the standard `OTEL_*` variables", default: "`off`" },
  OTEL_EXPORTER_OTLP_ENDPOINT: { meaning: "where the service's [own traces](operations.md#self-telemetry-and-logs) go, OTLP/gRPC; `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` wins over it. Read only with `ENRICHER_SELF_TELEMETRY=on`", default: "`http://localhost:4317`" },
  OTEL_EXPORTER_OTLP_HEADERS: { meaning: "metadata sent with the self-telemetry export, `name=value,...`; `OTEL_EXPORTER_OTLP_TRACES_HEADERS` wins per header", default: "none" },
  OTEL_SERVICE_NAME: { meaning: "`service.name` of the service's own traces", default: "`genesys-otel-enricher`" },
  OTEL_RESOURCE_ATTRIBUTES: { meaning: "resource attributes of the service's own traces, `name=value,...`", default: "none (host and process attributes are detected)" },
  OTEL_TRACES_SAMPLER: { meaning: "sampler of the service's own traces: `always_on`, `always_off`, `traceidratio`, `parentbased_*`", default: "`parentbased_always_on`" },
  OTEL_TRACES_SAMPLER_ARG: { meaning: "the ratio for the `*traceidratio` samplers, 0..1", default: "none" },
});
