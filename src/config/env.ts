import { ConfigError } from './errors';
import { EnvReader } from './parse';
import type { Config } from './types';

/** Environment variables the service reads; docs and the compose test use this list. */
export const ENV_VARS = [
  'GENESYS_CLIENT_ID',
  'GENESYS_CLIENT_SECRET',
  'GENESYS_REGION',
  'GENESYS_API_URL',
  'GENESYS_REQUEST_TIMEOUT_MS',
  'ENRICHER_OTLP_GRPC_ADDRESS',
  'ENRICHER_OTLP_GRPC_MAX_RECV_MIB',
  'ENRICHER_EXPORT_OTLP_ENDPOINT',
  'ENRICHER_EXPORT_TIMEOUT_MS',
  'ENRICHER_EXPORT_QUEUE_MAX_SPANS',
  'ENRICHER_EXPORT_QUEUE_MAX_MIB',
  'ENRICHER_EXPORT_CONCURRENCY',
  'ENRICHER_EXPORT_RETRY_INITIAL_MS',
  'ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS',
  'ENRICHER_EXPORT_RETRY_MAX_ELAPSED_MS',
  'ENRICHER_SOURCE_ATTRIBUTE',
  'ENRICHER_LOOKUP_BUDGET_MS',
  'ENRICHER_CACHE_MAX_ENTRIES',
  'ENRICHER_CACHE_TTL_SECONDS',
  'ENRICHER_CACHE_NOT_FOUND_TTL_SECONDS',
  'ENRICHER_CACHE_STALE_SECONDS',
  'ENRICHER_ADMIN_ADDRESS',
  'ENRICHER_ADMIN_TOKEN',
  'ENRICHER_LOG_LEVEL',
  'ENRICHER_SHUTDOWN_GRACE_MS',
] as const;

const MIB = 1024 * 1024;
const REGION = /^[a-z0-9]+(?:[.-][a-z0-9]+)*\.[a-z]{2,}$/;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * Builds the frozen Config from environment variables, reporting every
 * problem at once in a ConfigError that names each variable.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): Config {
  const r = new EnvReader(env);

  const clientId = r.string('GENESYS_CLIENT_ID');
  const clientSecret = r.string('GENESYS_CLIENT_SECRET');
  if (clientId && !clientSecret) r.fail('GENESYS_CLIENT_SECRET', 'is required when GENESYS_CLIENT_ID is set', undefined);
  if (!clientId && clientSecret) r.fail('GENESYS_CLIENT_ID', 'is required when GENESYS_CLIENT_SECRET is set', undefined);
  const region = r.string('GENESYS_REGION') ?? 'mypurecloud.com';
  if (!REGION.test(region)) r.fail('GENESYS_REGION', `must be a Genesys Cloud region host such as mypurecloud.ie, got "${region}"`, undefined);
  const apiUrl = r.url('GENESYS_API_URL');

  const sourceAttribute = r.string('ENRICHER_SOURCE_ATTRIBUTE') ?? 'external.user.id';
  if (sourceAttribute.length > 256) r.fail('ENRICHER_SOURCE_ATTRIBUTE', 'must be at most 256 characters', undefined);

  const staleSeconds = r.int('ENRICHER_CACHE_STALE_SECONDS', 3600, 0, 7 * 86400);
  const exportEndpoint = r.url('ENRICHER_EXPORT_OTLP_ENDPOINT');

  const retryInitialMs = r.int('ENRICHER_EXPORT_RETRY_INITIAL_MS', 5000, 1, 3_600_000);
  const retryMaxIntervalMs = r.int('ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS', 30_000, 1, 3_600_000);
  if (retryMaxIntervalMs < retryInitialMs)
    r.fail('ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS', `must not be below ENRICHER_EXPORT_RETRY_INITIAL_MS (${retryInitialMs})`, undefined);

  const config: Config = {
    genesys: {
      mode: clientId ? 'credentials' : 'embedded-simulator',
      clientId,
      clientSecret,
      region,
      apiUrl,
      requestTimeoutMs: r.int('GENESYS_REQUEST_TIMEOUT_MS', 5000, 100, 120_000),
    },
    receiver: {
      grpcAddress: r.address('ENRICHER_OTLP_GRPC_ADDRESS', '0.0.0.0:4317'),
      maxRecvMessageBytes: r.int('ENRICHER_OTLP_GRPC_MAX_RECV_MIB', 16, 1, 1024) * MIB,
    },
    enrichment: {
      sourceAttribute,
      lookupBudgetMs: r.int('ENRICHER_LOOKUP_BUDGET_MS', 200, 0, 60_000),
    },
    cache: {
      maxEntries: r.int('ENRICHER_CACHE_MAX_ENTRIES', 100_000, 1, 10_000_000),
      ttlMs: r.int('ENRICHER_CACHE_TTL_SECONDS', 600, 1, 7 * 86400) * 1000,
      notFoundTtlMs: r.int('ENRICHER_CACHE_NOT_FOUND_TTL_SECONDS', 60, 1, 7 * 86400) * 1000,
      staleMs: staleSeconds * 1000,
    },
    export: {
      endpoint: exportEndpoint,
      timeoutMs: r.int('ENRICHER_EXPORT_TIMEOUT_MS', 10_000, 100, 600_000),
      queueMaxSpans: r.int('ENRICHER_EXPORT_QUEUE_MAX_SPANS', 1_000_000, 1, 100_000_000),
      queueMaxBytes: r.int('ENRICHER_EXPORT_QUEUE_MAX_MIB', 256, 1, 65_536) * MIB,
      concurrency: r.int('ENRICHER_EXPORT_CONCURRENCY', 4, 1, 64),
      retryInitialMs,
      retryMaxIntervalMs,
      retryMaxElapsedMs: r.int('ENRICHER_EXPORT_RETRY_MAX_ELAPSED_MS', 300_000, 0, 86_400_000),
    },
    admin: {
      address: r.address('ENRICHER_ADMIN_ADDRESS', '127.0.0.1:8081'),
      token: r.string('ENRICHER_ADMIN_TOKEN'),
    },
    logLevel: r.oneOf('ENRICHER_LOG_LEVEL', 'info', LOG_LEVELS),
    shutdownGraceMs: r.int('ENRICHER_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
