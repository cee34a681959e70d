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
}

export interface ReceiverConfig {
  /** OTLP/gRPC listen address, host:port. Default 0.0.0.0:4317. */
  readonly grpcAddress: string;
  /** Largest accepted request after decompression, bytes. Default 16 MiB. */
  readonly maxRecvMessageBytes: number;
}

export interface EnrichmentConfig {
  /** Attribute holding the Genesys user id. Default external.user.id. */
  readonly sourceAttribute: string;
  /** How long a request waits for directory misses before it is forwarded, ms. Default 200. */
  readonly lookupBudgetMs: number;
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
  /** Retry backoff: first interval, largest interval, and total time before a batch is dropped, ms. */
  readonly retryInitialMs: number;
  readonly retryMaxIntervalMs: number;
  readonly retryMaxElapsedMs: number;
}

export interface AdminConfig {
  /** Admin/health HTTP listen address. Default 127.0.0.1:8081. */
  readonly address: string;
  /** Bearer token for admin routes that change things; undefined disables them. */
  readonly token?: string;
}

export interface Config {
  readonly genesys: GenesysConfig;
  readonly receiver: ReceiverConfig;
  readonly enrichment: EnrichmentConfig;
  readonly cache: CacheConfig;
  readonly export: ExportConfig;
  readonly admin: AdminConfig;
  /** pino level. Default info. */
  readonly logLevel: string;
  /** How long shutdown may take to drain, ms. Default 10 s. */
  readonly shutdownGraceMs: number;
}
