import type { EnvReader } from './parse';
import type { BreakerConfig, LimitsConfig } from './types';

const MIB = 1024 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The variables read here, in ENV_VARS order. */
export const LIMITS_ENV_VARS = [
  'ENRICHER_OTLP_GRPC_MAX_CONCURRENT_REQUESTS',
  'ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS',
  'ENRICHER_OTLP_GRPC_KEEPALIVE_TIME_MS',
  'ENRICHER_OTLP_GRPC_KEEPALIVE_TIMEOUT_MS',
  'ENRICHER_OTLP_GRPC_MAX_CONNECTION_IDLE_MS',
  'ENRICHER_OTLP_GRPC_MAX_CONNECTION_AGE_MS',
  'ENRICHER_OTLP_GRPC_MAX_CONNECTION_AGE_GRACE_MS',
  'ENRICHER_MEMORY_LIMIT_MIB',
  'ENRICHER_MEMORY_SPIKE_MIB',
  'ENRICHER_MEMORY_CHECK_INTERVAL_MS',
  'ENRICHER_GENESYS_BREAKER_FAILURES',
  'ENRICHER_GENESYS_BREAKER_COOLDOWN_MS',
  'ENRICHER_OTLP_RECEIVE_TIMEOUT_MS',
  'ENRICHER_OTLP_MAX_CONNECTIONS',
  'ENRICHER_OTLP_IDLE_TIMEOUT_MS',
  'ENRICHER_OTLP_HTTP_JSON_MAX_ELEMENTS',
  'ENRICHER_MEMORY_RSS_LIMIT_MIB',
] as const;

/**
 * Receiver limits and the memory limiter. `lookupBudgetMs` is the enrichment
 * look-up budget: the request deadline must exceed it, or every request that
 * waits for Genesys would time out.
 */
export function readLimitsConfig(r: EnvReader, lookupBudgetMs: number): LimitsConfig {
  const requestTimeoutMs = r.int('ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS', 30_000, 0, 3_600_000);
  if (requestTimeoutMs !== 0 && requestTimeoutMs <= lookupBudgetMs) {
    r.fail('ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS', `must exceed ENRICHER_LOOKUP_BUDGET_MS (${lookupBudgetMs}), or be 0 for no deadline`, undefined);
  }
  const limitMib = optionalInt(r, 'ENRICHER_MEMORY_LIMIT_MIB', 0, 1_048_576);
  const spikeMib = optionalInt(r, 'ENRICHER_MEMORY_SPIKE_MIB', 0, 1_048_576);
  if (limitMib !== undefined && limitMib > 0 && spikeMib !== undefined && spikeMib >= limitMib) {
    r.fail('ENRICHER_MEMORY_SPIKE_MIB', `must be below ENRICHER_MEMORY_LIMIT_MIB (${limitMib})`, undefined);
  }
  // A request waiting for Genesys or the queue sends nothing: an idle timeout shorter than its deadline would cut it.
  const idleTimeoutMs = r.int('ENRICHER_OTLP_IDLE_TIMEOUT_MS', 300_000, 0, MAX_TIMER_MS);
  if (idleTimeoutMs !== 0 && requestTimeoutMs !== 0 && idleTimeoutMs <= requestTimeoutMs) {
    r.fail('ENRICHER_OTLP_IDLE_TIMEOUT_MS', `must exceed ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), or be 0 for no idle timeout`, undefined);
  }
  return {
    maxConcurrentRequests: r.int('ENRICHER_OTLP_GRPC_MAX_CONCURRENT_REQUESTS', 256, 0, 1_000_000),
    requestTimeoutMs,
    connection: {
      keepaliveTimeMs: optionalInt(r, 'ENRICHER_OTLP_GRPC_KEEPALIVE_TIME_MS', 1, MAX_TIMER_MS),
      keepaliveTimeoutMs: optionalInt(r, 'ENRICHER_OTLP_GRPC_KEEPALIVE_TIMEOUT_MS', 1, MAX_TIMER_MS),
      maxConnectionIdleMs: optionalInt(r, 'ENRICHER_OTLP_GRPC_MAX_CONNECTION_IDLE_MS', 1, MAX_TIMER_MS),
      maxConnectionAgeMs: optionalInt(r, 'ENRICHER_OTLP_GRPC_MAX_CONNECTION_AGE_MS', 1, MAX_TIMER_MS),
      maxConnectionAgeGraceMs: optionalInt(r, 'ENRICHER_OTLP_GRPC_MAX_CONNECTION_AGE_GRACE_MS', 1, MAX_TIMER_MS),
    },
    memory: {
      limitBytes: limitMib === undefined ? undefined : limitMib * MIB,
      spikeBytes: spikeMib === undefined ? undefined : spikeMib * MIB,
      checkIntervalMs: r.int('ENRICHER_MEMORY_CHECK_INTERVAL_MS', 1000, 10, 60_000),
      rssLimitBytes: optionalMib(r, 'ENRICHER_MEMORY_RSS_LIMIT_MIB'),
    },
    transport: {
      receiveTimeoutMs: r.int('ENRICHER_OTLP_RECEIVE_TIMEOUT_MS', 15_000, 0, 3_600_000),
      maxConnections: r.int('ENRICHER_OTLP_MAX_CONNECTIONS', 4096, 0, 1_000_000),
      idleTimeoutMs,
      maxJsonElements: r.int('ENRICHER_OTLP_HTTP_JSON_MAX_ELEMENTS', 500_000, 1, 100_000_000),
    },
  };
}

/** The Genesys circuit breaker. */
export function readBreakerConfig(r: EnvReader): BreakerConfig {
  return {
    failures: r.int('ENRICHER_GENESYS_BREAKER_FAILURES', 5, 0, 1000),
    cooldownMs: r.int('ENRICHER_GENESYS_BREAKER_COOLDOWN_MS', 30_000, 1, 3_600_000),
  };
}

// MiB as bytes, or undefined when unset.
function optionalMib(r: EnvReader, key: string): number | undefined {
  const mib = optionalInt(r, key, 0, 1_048_576);
  return mib === undefined ? undefined : mib * MIB;
}

// An integer within [min, max], or undefined when unset (its default belongs to the component).
function optionalInt(r: EnvReader, key: string, min: number, max: number): number | undefined {
  if (r.string(key) === undefined) return undefined;
  return r.int(key, min, min, max);
}
