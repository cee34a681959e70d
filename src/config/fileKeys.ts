/**
 * The one table between the YAML configuration file and the environment
 * variables. Every setting has a dotted YAML path and the variable it stands
 * for; `loadConfig` turns a file into variable-style values through this table,
 * so `configFromEnv` stays the only validator of both.
 *
 * Adding a setting: put its variable in ENV_VARS (env.ts), a row here, and a
 * commented line in otel-config/enricher.example.yaml. test/config/fileKeys.test.ts
 * fails until all three agree.
 */

/**
 * What a YAML value may be:
 * - `string`: a YAML string (a bare number is refused: quote it);
 * - `integer`, `number`: a YAML number, or a string the validator reads as one;
 * - `switch`: true/false (becomes on/off), or the words on/off/true/false;
 * - `map`: a mapping of names to scalars, written as `name=value,...` with
 *   percent-encoded values (the OTEL_* list format), or such a string;
 * - `list`: a sequence of strings, joined with commas, or such a string.
 */
export type FileValueKind = 'string' | 'integer' | 'number' | 'switch' | 'map' | 'list';

export interface FileKey {
  /** Dotted YAML path in snake_case, e.g. `receivers.otlp.grpc.address`. */
  readonly path: string;
  /** The environment variable the value stands for (and which overrides it). */
  readonly env: string;
  readonly kind: FileValueKind;
  /** The value is never echoed in problems and never printed. */
  readonly secret?: boolean;
}

// One row per setting, grouped by section. Keep the section order of the example file.
export const FILE_KEYS: readonly FileKey[] = Object.freeze([
  { path: 'genesys.client_id', env: 'GENESYS_CLIENT_ID', kind: 'string' },
  { path: 'genesys.client_secret', env: 'GENESYS_CLIENT_SECRET', kind: 'string', secret: true },
  { path: 'genesys.region', env: 'GENESYS_REGION', kind: 'string' },
  { path: 'genesys.api_url', env: 'GENESYS_API_URL', kind: 'string' },
  { path: 'genesys.request_timeout_ms', env: 'GENESYS_REQUEST_TIMEOUT_MS', kind: 'integer' },
  { path: 'genesys.max_requests_per_minute', env: 'ENRICHER_GENESYS_MAX_RPM', kind: 'integer' },
  { path: 'genesys.circuit_breaker.failures', env: 'ENRICHER_GENESYS_BREAKER_FAILURES', kind: 'integer' },
  { path: 'genesys.circuit_breaker.cooldown_ms', env: 'ENRICHER_GENESYS_BREAKER_COOLDOWN_MS', kind: 'integer' },

  { path: 'receivers.otlp.grpc.address', env: 'ENRICHER_OTLP_GRPC_ADDRESS', kind: 'string' },
  { path: 'receivers.otlp.grpc.max_recv_msg_size_mib', env: 'ENRICHER_OTLP_GRPC_MAX_RECV_MIB', kind: 'integer' },
  { path: 'receivers.otlp.grpc.flow_control_window_kib', env: 'ENRICHER_OTLP_GRPC_WINDOW_KIB', kind: 'integer' },
  { path: 'receivers.otlp.grpc.max_concurrent_requests', env: 'ENRICHER_OTLP_GRPC_MAX_CONCURRENT_REQUESTS', kind: 'integer' },
  { path: 'receivers.otlp.grpc.request_timeout_ms', env: 'ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS', kind: 'integer' },
  { path: 'receivers.otlp.grpc.keepalive.time_ms', env: 'ENRICHER_OTLP_GRPC_KEEPALIVE_TIME_MS', kind: 'integer' },
  { path: 'receivers.otlp.grpc.keepalive.timeout_ms', env: 'ENRICHER_OTLP_GRPC_KEEPALIVE_TIMEOUT_MS', kind: 'integer' },
  { path: 'receivers.otlp.grpc.keepalive.max_connection_idle_ms', env: 'ENRICHER_OTLP_GRPC_MAX_CONNECTION_IDLE_MS', kind: 'integer' },
  { path: 'receivers.otlp.grpc.keepalive.max_connection_age_ms', env: 'ENRICHER_OTLP_GRPC_MAX_CONNECTION_AGE_MS', kind: 'integer' },
  { path: 'receivers.otlp.grpc.keepalive.max_connection_age_grace_ms', env: 'ENRICHER_OTLP_GRPC_MAX_CONNECTION_AGE_GRACE_MS', kind: 'integer' },
  { path: 'receivers.otlp.http.address', env: 'ENRICHER_OTLP_HTTP_ADDRESS', kind: 'string' },
  { path: 'receivers.otlp.http.max_body_size_mib', env: 'ENRICHER_OTLP_HTTP_MAX_BODY_MIB', kind: 'integer' },
  { path: 'receivers.otlp.http.json_max_elements', env: 'ENRICHER_OTLP_HTTP_JSON_MAX_ELEMENTS', kind: 'integer' },
  { path: 'receivers.otlp.http.cors.allowed_origins', env: 'ENRICHER_OTLP_HTTP_CORS_ALLOWED_ORIGINS', kind: 'list' },
  { path: 'receivers.otlp.tls.cert_file', env: 'ENRICHER_TLS_CERT_FILE', kind: 'string' },
  { path: 'receivers.otlp.tls.key_file', env: 'ENRICHER_TLS_KEY_FILE', kind: 'string' },
  { path: 'receivers.otlp.tls.client_ca_file', env: 'ENRICHER_TLS_CLIENT_CA_FILE', kind: 'string' },
  { path: 'receivers.otlp.auth.bearer_token', env: 'ENRICHER_RECEIVER_BEARER_TOKEN', kind: 'string', secret: true },
  { path: 'receivers.otlp.receive_timeout_ms', env: 'ENRICHER_OTLP_RECEIVE_TIMEOUT_MS', kind: 'integer' },
  { path: 'receivers.otlp.max_connections', env: 'ENRICHER_OTLP_MAX_CONNECTIONS', kind: 'integer' },
  { path: 'receivers.otlp.idle_timeout_ms', env: 'ENRICHER_OTLP_IDLE_TIMEOUT_MS', kind: 'integer' },

  { path: 'memory_limiter.limit_mib', env: 'ENRICHER_MEMORY_LIMIT_MIB', kind: 'integer' },
  { path: 'memory_limiter.spike_limit_mib', env: 'ENRICHER_MEMORY_SPIKE_MIB', kind: 'integer' },
  { path: 'memory_limiter.check_interval_ms', env: 'ENRICHER_MEMORY_CHECK_INTERVAL_MS', kind: 'integer' },
  { path: 'memory_limiter.rss_limit_mib', env: 'ENRICHER_MEMORY_RSS_LIMIT_MIB', kind: 'integer' },

  { path: 'enrichment.source_attribute', env: 'ENRICHER_SOURCE_ATTRIBUTE', kind: 'string' },
  { path: 'enrichment.lookup_budget_ms', env: 'ENRICHER_LOOKUP_BUDGET_MS', kind: 'integer' },
  { path: 'enrichment.hold.timeout_ms', env: 'ENRICHER_LOOKUP_HOLD_MS', kind: 'integer' },
  { path: 'enrichment.hold.max_spans', env: 'ENRICHER_LOOKUP_HOLD_MAX_SPANS', kind: 'integer' },
  { path: 'enrichment.hold.max_size_mib', env: 'ENRICHER_LOOKUP_HOLD_MAX_MIB', kind: 'integer' },

  { path: 'cache.max_entries', env: 'ENRICHER_CACHE_MAX_ENTRIES', kind: 'integer' },
  { path: 'cache.ttl_seconds', env: 'ENRICHER_CACHE_TTL_SECONDS', kind: 'integer' },
  { path: 'cache.not_found_ttl_seconds', env: 'ENRICHER_CACHE_NOT_FOUND_TTL_SECONDS', kind: 'integer' },
  { path: 'cache.stale_seconds', env: 'ENRICHER_CACHE_STALE_SECONDS', kind: 'integer' },
  { path: 'cache.warmup.enabled', env: 'ENRICHER_WARMUP', kind: 'switch' },
  { path: 'cache.warmup.ready_timeout_ms', env: 'ENRICHER_WARMUP_TIMEOUT_MS', kind: 'integer' },
  { path: 'cache.warmup.refresh_seconds', env: 'ENRICHER_WARMUP_REFRESH_SECONDS', kind: 'integer' },

  { path: 'exporter.endpoint', env: 'ENRICHER_EXPORT_OTLP_ENDPOINT', kind: 'string' },
  { path: 'exporter.timeout_ms', env: 'ENRICHER_EXPORT_TIMEOUT_MS', kind: 'integer' },
  { path: 'exporter.compression', env: 'ENRICHER_EXPORT_COMPRESSION', kind: 'string' },
  { path: 'exporter.headers', env: 'ENRICHER_EXPORT_HEADERS', kind: 'map', secret: true },
  { path: 'exporter.tls.ca_file', env: 'ENRICHER_EXPORT_TLS_CA_FILE', kind: 'string' },
  { path: 'exporter.sending_queue.max_spans', env: 'ENRICHER_EXPORT_QUEUE_MAX_SPANS', kind: 'integer' },
  { path: 'exporter.sending_queue.max_size_mib', env: 'ENRICHER_EXPORT_QUEUE_MAX_MIB', kind: 'integer' },
  { path: 'exporter.sending_queue.concurrency', env: 'ENRICHER_EXPORT_CONCURRENCY', kind: 'integer' },
  { path: 'exporter.sending_queue.backpressure_ms', env: 'ENRICHER_EXPORT_BACKPRESSURE_MS', kind: 'integer' },
  { path: 'exporter.sending_queue.directory', env: 'ENRICHER_EXPORT_QUEUE_DIR', kind: 'string' },
  { path: 'exporter.sending_queue.lock_stale_seconds', env: 'ENRICHER_EXPORT_QUEUE_LOCK_STALE_SECONDS', kind: 'integer' },
  { path: 'exporter.retry_on_failure.initial_interval_ms', env: 'ENRICHER_EXPORT_RETRY_INITIAL_MS', kind: 'integer' },
  { path: 'exporter.retry_on_failure.max_interval_ms', env: 'ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS', kind: 'integer' },
  { path: 'exporter.retry_on_failure.max_elapsed_time_ms', env: 'ENRICHER_EXPORT_RETRY_MAX_ELAPSED_MS', kind: 'integer' },

  { path: 'admin.address', env: 'ENRICHER_ADMIN_ADDRESS', kind: 'string' },
  { path: 'admin.token', env: 'ENRICHER_ADMIN_TOKEN', kind: 'string', secret: true },

  { path: 'deactivation.data_dir', env: 'ENRICHER_DATA_DIR', kind: 'string' },
  { path: 'deactivation.offboarding_division_id', env: 'ENRICHER_OFFBOARDING_DIVISION_ID', kind: 'string' },

  { path: 'self_telemetry.enabled', env: 'ENRICHER_SELF_TELEMETRY', kind: 'switch' },
  { path: 'self_telemetry.endpoint', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', kind: 'string' },
  { path: 'self_telemetry.headers', env: 'OTEL_EXPORTER_OTLP_HEADERS', kind: 'map', secret: true },
  { path: 'self_telemetry.service_name', env: 'OTEL_SERVICE_NAME', kind: 'string' },
  { path: 'self_telemetry.resource_attributes', env: 'OTEL_RESOURCE_ATTRIBUTES', kind: 'map' },
  { path: 'self_telemetry.sampler', env: 'OTEL_TRACES_SAMPLER', kind: 'string' },
  { path: 'self_telemetry.sampler_arg', env: 'OTEL_TRACES_SAMPLER_ARG', kind: 'number' },

  { path: 'log_level', env: 'ENRICHER_LOG_LEVEL', kind: 'string' },
  { path: 'shutdown_grace_ms', env: 'ENRICHER_SHUTDOWN_GRACE_MS', kind: 'integer' },
  { path: 'workers', env: 'ENRICHER_WORKERS', kind: 'integer' },

  { path: 'fleet.redis.url', env: 'ENRICHER_REDIS_URL', kind: 'string', secret: true },
  { path: 'fleet.redis.wait_ms', env: 'ENRICHER_REDIS_WAIT_MS', kind: 'integer' },
  { path: 'fleet.redis.key_prefix', env: 'ENRICHER_REDIS_KEY_PREFIX', kind: 'string' },
  { path: 'fleet.lock_wait_ms', env: 'ENRICHER_REDIS_LOCK_WAIT_MS', kind: 'integer' },
  { path: 'fleet.genesys_max_requests_per_minute', env: 'ENRICHER_FLEET_GENESYS_MAX_RPM', kind: 'integer' },
] satisfies FileKey[]);

/** Variables in ENV_VARS with no YAML path: the file cannot name itself. */
export const ENV_ONLY_VARS: readonly string[] = Object.freeze(['ENRICHER_CONFIG']);

/** Variable names that hold credentials by their look; every such row must be marked `secret`. */
export const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|HEADERS|AUTHORIZATION|CREDENTIAL|API_?KEY|PRIVATE/i;

/** The row of a YAML path, and of a variable. */
export const KEY_BY_PATH: ReadonlyMap<string, FileKey> = new Map(FILE_KEYS.map((k) => [k.path, k]));
export const KEY_BY_ENV: ReadonlyMap<string, FileKey> = new Map(FILE_KEYS.map((k) => [k.env, k]));

/** Every section path (`receivers`, `receivers.otlp`, ...) with the names allowed directly inside it; '' is the top. */
export const SECTIONS: ReadonlyMap<string, readonly string[]> = sectionsOf(FILE_KEYS);

function sectionsOf(keys: readonly FileKey[]): Map<string, string[]> {
  const sections = new Map<string, string[]>([['', []]]);
  for (const { path } of keys) {
    const parts = path.split('.');
    parts.forEach((name, i) => {
      const children = sections.get(parts.slice(0, i).join('.'))!; // created at the step before
      if (!children.includes(name)) children.push(name);
      const section = parts.slice(0, i + 1).join('.');
      if (i < parts.length - 1 && !sections.has(section)) sections.set(section, []);
    });
  }
  return sections;
}
