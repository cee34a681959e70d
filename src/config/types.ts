/**
 * The service's configuration, validated once at the edge (see env.ts) and
 * frozen. Components receive the slice they need; none reads process.env.
 */
export interface GenesysConfig {
  /**
   * `credentials`: a real org (GENESYS_CLIENT_ID/SECRET). `embedded-simulator`:
   * no credentials were given, so the service starts the built-in simulator.
   */
  readonly mode: 'credentials' | 'embedded-simulator';
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** e.g. mypurecloud.ie. Default mypurecloud.com. */
  readonly region: string;
  /** Base URL replacing the region for API and OAuth calls. */
  readonly apiUrl?: string;
  /** Per-request HTTP timeout of the SDK, ms. Default 5000. */
  readonly requestTimeoutMs: number;
  /**
   * Genesys requests per minute this process makes at most: look-ups, warm-up
   * and deactivation runs share one token bucket, so the service never meets
   * Genesys' limit (300 per minute per OAuth client) by itself. Default 240.
   */
  readonly maxRequestsPerMinute: number;
}

export interface ReceiverConfig {
  /** OTLP/gRPC listen address, host:port. Default 127.0.0.1:4317. */
  readonly grpcAddress: string;
  /**
   * HTTP/2 receive window (per stream and per connection) of the OTLP/gRPC
   * receiver, bytes; undefined keeps grpc-js's 64 KiB. Default 1 MiB. See docs/performance.md.
   */
  readonly grpcFlowControlWindowBytes?: number;
  /** Largest accepted request after decompression, bytes. Default 16 MiB. */
  readonly maxRecvMessageBytes: number;
  /** OTLP/HTTP listen address, host:port; undefined when turned off (`off`). Default 127.0.0.1:4318. */
  readonly httpAddress?: string;
  /** Largest accepted OTLP/HTTP body, on the wire and after gzip decompression, bytes. Default 16 MiB. */
  readonly httpMaxBodyBytes: number;
  /** Origins browsers may export from (OTLP/HTTP CORS): `scheme://host[:port]` or `*`. Default none. */
  readonly corsAllowedOrigins: readonly string[];
  /** TLS of both receivers; undefined serves plaintext. The files were checked when the config was built. */
  readonly tls?: ReceiverTlsConfig;
  /** Bearer token both receivers require in `authorization`; undefined requires none. A secret. */
  readonly bearerToken?: string;
}

/** PEM files of the receivers' TLS. */
export interface ReceiverTlsConfig {
  /** Server certificate (chain). */
  readonly certFile: string;
  /** Its unencrypted private key. */
  readonly keyFile: string;
  /** Set: mTLS, clients must present a certificate chaining to this CA bundle. */
  readonly clientCaFile?: string;
}

export interface EnrichmentConfig {
  /** Attribute holding the Genesys user id. Default external.user.id. */
  readonly sourceAttribute: string;
  /** How long a request waits for directory misses before the client is answered, ms. Default 200. */
  readonly lookupBudgetMs: number;
  /**
   * How long a request whose look-ups outlast the budget is held inside the
   * enricher for them (the client already answered), ms; then its unresolved
   * spans leave marked failed. 0: no hold, they leave at the budget. Default 90,000.
   */
  readonly lookupHoldMs: number;
  /** Most spans held at once (part of the sending queue's bound); the oldest held go on early beyond it. Default half the queue's. */
  readonly holdMaxSpans: number;
  /** Most request bytes held at once, same rule. Default half the queue's. */
  readonly holdMaxBytes: number;
}

export interface CacheConfig {
  /** Most users kept. Default 100,000. */
  readonly maxEntries: number;
  /** Freshness of a found user, ms. Default 10 min. */
  readonly ttlMs: number;
  /** Freshness of a not-found answer, ms. Default 1 min. */
  readonly notFoundTtlMs: number;
  /** How long past its TTL an entry may still be served while it is refreshed, ms. Default 1 h. */
  readonly staleMs: number;
}

export interface ExportConfig {
  /** OTLP/gRPC endpoint, http:// or https://; undefined selects the debug exporter. */
  readonly endpoint?: string;
  /** Per-export RPC deadline, ms. Default 10 s. */
  readonly timeoutMs: number;
  /** Queue bound in spans. Default 1,000,000. */
  readonly queueMaxSpans: number;
  /** Queue bound in bytes. Default 256 MiB. */
  readonly queueMaxBytes: number;
  /** Concurrent export RPCs. Default 4. */
  readonly concurrency: number;
  /**
   * Longest a request's acknowledgement waits for an export call to take its
   * batch while the backend keeps up (backpressure), ms; 0: acknowledged once
   * queued. Default 1000.
   */
  readonly backpressureMs: number;
  /** Retry backoff: first interval, largest interval, and total time before a batch is dropped, ms. */
  readonly retryInitialMs: number;
  readonly retryMaxIntervalMs: number;
  readonly retryMaxElapsedMs: number;
  /**
   * Directory of the persistent sending queue (relative to the working directory
   * unless absolute; created if missing). Set: a request is on disk before it is
   * acknowledged and what is undelivered survives a crash or restart. Unset: the
   * queue is in memory only.
   */
  readonly queueDir?: string;
  /**
   * A queue.lock whose heartbeat has not moved for this long is taken over by
   * another instance, milliseconds (ENRICHER_EXPORT_QUEUE_LOCK_STALE_SECONDS,
   * default 15 s). It is also how long an instance restarted in a new container
   * after a kill -9 may wait for the lock.
   */
  readonly queueLockStaleMs: number;
  /** PEM CA bundle trusted for an https:// endpoint instead of the system roots. */
  readonly tlsCaFile?: string;
  /** Compression of export requests. Default gzip (as the Collector's otlp exporter). */
  readonly compression: 'gzip' | 'none';
  /** gRPC metadata sent with every export, e.g. authorization. Values are secrets: never logged. Default none. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface AdminConfig {
  /** Admin/health HTTP listen address. Default 127.0.0.1:8081. */
  readonly address: string;
  /**
   * Bearer token for the /v1 admin routes (deactivate, reactivate, and the
   * identity read, which reveals personal data); undefined disables them with
   * 403 admin_disabled. Health routes never need it.
   */
  readonly token?: string;
}

export interface DeactivationConfig {
  /**
   * Directory holding the deactivation journal (snapshots and step outcomes),
   * relative to the working directory unless absolute. Default ./data.
   */
  readonly dataDir: string;
  /**
   * The division the optional "move to the offboarding division" step moves
   * deactivated users to (ENRICHER_OFFBOARDING_DIVISION_ID, a UUID). Default
   * none: runs asking for that step are refused.
   */
  readonly offboardingDivisionId?: string;
}

/** A sampler of the OTEL_TRACES_SAMPLER list (jaeger_remote and xray are not offered). */
export type SelfTelemetrySampler =
  | { readonly name: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off' }
  | { readonly name: 'traceidratio' | 'parentbased_traceidratio'; readonly ratio: number };

/**
 * The service's own traces (Genesys calls, export retries, deactivation runs),
 * sent over OTLP/gRPC by the OpenTelemetry NodeSDK. Off by default
 * (ENRICHER_SELF_TELEMETRY); the rest comes from the standard OTEL_* variables.
 */
export type SelfTelemetryConfig =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      /** OTLP/gRPC endpoint, http:// or https://. Default http://localhost:4317 (refused when it is the enricher's own receiver). */
      readonly endpoint: string;
      /** gRPC metadata sent with every export (OTEL_EXPORTER_OTLP_[TRACES_]HEADERS); secret. */
      readonly headers: Readonly<Record<string, string>>;
      /** `service.name`. Default genesys-otel-enricher. */
      readonly serviceName: string;
      /** OTEL_RESOURCE_ATTRIBUTES. */
      readonly resourceAttributes: Readonly<Record<string, string>>;
      /** Default parentbased_always_on. */
      readonly sampler: SelfTelemetrySampler;
    };

/**
 * Limits the receivers apply to every request, and the memory limiter
 * (ENRICHER_OTLP_GRPC_MAX_CONCURRENT_REQUESTS ... ENRICHER_MEMORY_*).
 */
export interface LimitsConfig {
  /** Requests processed at once; beyond it, UNAVAILABLE + RetryInfo. 0: no cap. Default 256. */
  readonly maxConcurrentRequests: number;
  /** Longest a request may take until its batch is queued, ms; then DEADLINE_EXCEEDED. 0: none. Default 30 s. */
  readonly requestTimeoutMs: number;
  /** OTLP/gRPC keepalive and connection lifetime, ms; undefined keeps grpc-js's default. */
  readonly connection: {
    readonly keepaliveTimeMs?: number;
    readonly keepaliveTimeoutMs?: number;
    readonly maxConnectionIdleMs?: number;
    readonly maxConnectionAgeMs?: number;
    readonly maxConnectionAgeGraceMs?: number;
  };
  readonly memory: {
    /**
     * Hard limit on reclaimable memory (heap + external), bytes. 0 turns the limiter off; undefined: 80% of
     * the container's memory limit when there is one, else off.
     */
    readonly limitBytes?: number;
    /** Headroom below the hard limit where refusing starts, bytes; undefined: 20% of the limit. */
    readonly spikeBytes?: number;
    /** How often memory is read, ms. Default 1000. */
    readonly checkIntervalMs: number;
    /**
     * RSS backstop, bytes: refusing whatever the heap says. 0: off; undefined:
     * 95% of the container's memory limit when there is one, else off.
     */
    readonly rssLimitBytes?: number;
  };
  /** Both receivers' transport limits (ENRICHER_OTLP_RECEIVE_TIMEOUT_MS ... ENRICHER_OTLP_HTTP_JSON_MAX_ELEMENTS). */
  readonly transport: {
    /** A request must have fully arrived within this, ms; 0: no deadline. Default 15 s. */
    readonly receiveTimeoutMs: number;
    /** Connections per receiver; 0: no cap. Default 4096. */
    readonly maxConnections: number;
    /** A connection without traffic is closed after this, ms; 0: never. Default 5 min. */
    readonly idleTimeoutMs: number;
    /** Elements one OTLP/JSON request may hold. Default 500,000. */
    readonly maxJsonElements: number;
  };
}

/** The Genesys circuit breaker (ENRICHER_GENESYS_BREAKER_*). */
export interface BreakerConfig {
  /** Consecutive failed bulk look-ups that open the circuit; 0 disables it. Default 5. */
  readonly failures: number;
  /** How long the circuit stays open before one probe look-up, ms. Default 30 s. */
  readonly cooldownMs: number;
}

export interface WarmupConfig {
  /** Preload the whole org into the cache at start, and keep reloading it (ENRICHER_WARMUP). Default off. */
  readonly enabled: boolean;
  /** How long /readyz waits for the first load before reporting ready anyway, ms; 0 does not wait. Default 30 s. */
  readonly readyTimeoutMs: number;
  /** Pause between loads, ms; 0 loads once. Default 5 min (below the cache TTL, so warm entries stay fresh). */
  readonly refreshMs: number;
}

export interface Config {
  readonly genesys: GenesysConfig;
  readonly receiver: ReceiverConfig;
  readonly enrichment: EnrichmentConfig;
  readonly cache: CacheConfig;
  readonly warmup: WarmupConfig;
  readonly export: ExportConfig;
  readonly admin: AdminConfig;
  readonly limits: LimitsConfig;
  readonly breaker: BreakerConfig;
  readonly deactivation: DeactivationConfig;
  readonly selfTelemetry: SelfTelemetryConfig;
  /** pino level. Default info. */
  readonly logLevel: string;
  /** How long shutdown may take to drain, ms. Default 10 s. */
  readonly shutdownGraceMs: number;
  /**
   * Processes serving OTLP (node:cluster workers sharing the ports); 1 runs
   * everything in this process. `auto` in the environment: one per CPU. Default 1.
   */
  readonly workers: number;
  /** Shared state of a fleet of enrichers (ENRICHER_REDIS_*); off without ENRICHER_REDIS_URL. */
  readonly fleet: FleetConfig;
}

/** A fleet of enrichers on one Redis (docs/scaling.md). */
export interface FleetConfig {
  /**
   * `redis://[user:password@]host:port[/db]` or `rediss://` (TLS); undefined:
   * no Redis, every process on its own. Holds the password: never log it
   * (see fleet/redisUrl.ts `redactRedisUrl`).
   */
  readonly redisUrl?: string;
  /** Longest any one Redis command may take before the caller goes on without it, ms. Default 250. */
  readonly redisWaitMs: number;
  /** Prefix of every key and channel, so fleets (or other apps) can share one Redis. Default `genesys-enricher:`. */
  readonly keyPrefix: string;
  /** How long a replica waits for another one's Genesys look-up of the same id before its own, ms. Default 2000. */
  readonly lockWaitMs: number;
  /** Genesys requests per minute for the whole fleet together; 0: no fleet-wide ceiling. Default 0. */
  readonly fleetMaxRequestsPerMinute: number;
}
