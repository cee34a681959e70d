import os from 'node:os';
import { ConfigError } from './errors';
import { EnvReader } from './parse';
import type { Config, EnrichmentConfig } from './types';
import { LIMITS_ENV_VARS, readBreakerConfig, readLimitsConfig } from './limitsEnv';
import { FLEET_ENV_VARS, readFleetConfig } from './fleetEnv';
import { readSelfTelemetryConfig } from '../telemetry/selfTelemetryConfig';
import { normalizeOrigin } from '../receiver/otlphttp/cors';
import { readCaBundle, readServerTls, type ServerTlsFiles } from '../receiver/tls/pemFiles';
import { normalizeUserId } from '../directory/userId';

/** Environment variables the service reads; docs and the compose test use this list. */
export const ENV_VARS = [
  'GENESYS_CLIENT_ID',
  'GENESYS_CLIENT_SECRET',
  'GENESYS_REGION',
  'GENESYS_API_URL',
  'GENESYS_REQUEST_TIMEOUT_MS',
  'ENRICHER_OTLP_GRPC_ADDRESS',
  'ENRICHER_OTLP_GRPC_MAX_RECV_MIB',
  'ENRICHER_OTLP_GRPC_WINDOW_KIB',
  'ENRICHER_OTLP_HTTP_ADDRESS',
  'ENRICHER_OTLP_HTTP_MAX_BODY_MIB',
  'ENRICHER_OTLP_HTTP_CORS_ALLOWED_ORIGINS',
  'ENRICHER_TLS_CERT_FILE',
  'ENRICHER_TLS_KEY_FILE',
  'ENRICHER_TLS_CLIENT_CA_FILE',
  'ENRICHER_RECEIVER_BEARER_TOKEN',
  'ENRICHER_EXPORT_OTLP_ENDPOINT',
  'ENRICHER_EXPORT_TLS_CA_FILE',
  'ENRICHER_EXPORT_COMPRESSION',
  'ENRICHER_EXPORT_HEADERS',
  'ENRICHER_EXPORT_TIMEOUT_MS',
  'ENRICHER_EXPORT_QUEUE_MAX_SPANS',
  'ENRICHER_EXPORT_QUEUE_MAX_MIB',
  'ENRICHER_EXPORT_CONCURRENCY',
  'ENRICHER_EXPORT_BACKPRESSURE_MS',
  'ENRICHER_EXPORT_RETRY_INITIAL_MS',
  'ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS',
  'ENRICHER_EXPORT_RETRY_MAX_ELAPSED_MS',
  'ENRICHER_EXPORT_QUEUE_DIR',
  'ENRICHER_EXPORT_QUEUE_LOCK_STALE_SECONDS',
  'ENRICHER_SOURCE_ATTRIBUTE',
  'ENRICHER_LOOKUP_BUDGET_MS',
  'ENRICHER_LOOKUP_HOLD_MS',
  'ENRICHER_LOOKUP_HOLD_MAX_SPANS',
  'ENRICHER_LOOKUP_HOLD_MAX_MIB',
  'ENRICHER_CACHE_MAX_ENTRIES',
  'ENRICHER_CACHE_TTL_SECONDS',
  'ENRICHER_CACHE_NOT_FOUND_TTL_SECONDS',
  'ENRICHER_CACHE_STALE_SECONDS',
  'ENRICHER_WARMUP',
  'ENRICHER_WARMUP_TIMEOUT_MS',
  'ENRICHER_WARMUP_REFRESH_SECONDS',
  'ENRICHER_ADMIN_ADDRESS',
  'ENRICHER_ADMIN_TOKEN',
  'ENRICHER_DATA_DIR',
  'ENRICHER_GENESYS_MAX_RPM',
  'ENRICHER_OFFBOARDING_DIVISION_ID',
  'ENRICHER_LOG_LEVEL',
  'ENRICHER_SHUTDOWN_GRACE_MS',
  'ENRICHER_WORKERS',
  ...LIMITS_ENV_VARS,
  ...FLEET_ENV_VARS,
  'ENRICHER_SELF_TELEMETRY',
  'ENRICHER_CONFIG',
] as const;

const MIB = 1024 * 1024;
const REGION = /^[a-z0-9]+(?:[.-][a-z0-9]+)*\.[a-z]{2,}$/;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * Builds the frozen Config from environment variables, reporting every
 * problem at once in a ConfigError that names each variable.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): Config {
  return readConfig(env).config;
}

/** The Config, and the default each unset setting got (variable form), for printing. */
export function readConfig(env: Readonly<Record<string, string | undefined>>): { config: Config; defaults: ReadonlyMap<string, string> } {
  const r = new EnvReader(env);

  const clientId = r.string('GENESYS_CLIENT_ID');
  const clientSecret = r.string('GENESYS_CLIENT_SECRET');
  if (clientId && !clientSecret) r.fail('GENESYS_CLIENT_SECRET', 'is required when GENESYS_CLIENT_ID is set', undefined);
  if (!clientId && clientSecret) r.fail('GENESYS_CLIENT_ID', 'is required when GENESYS_CLIENT_SECRET is set', undefined);
  const region = r.stringOr('GENESYS_REGION', 'mypurecloud.com');
  if (!REGION.test(region)) r.fail('GENESYS_REGION', `must be a Genesys Cloud region host such as mypurecloud.ie, got "${region}"`, undefined);
  const apiUrl = r.url('GENESYS_API_URL');

  const sourceAttribute = r.stringOr('ENRICHER_SOURCE_ATTRIBUTE', 'external.user.id');
  if (sourceAttribute.length > 256) r.fail('ENRICHER_SOURCE_ATTRIBUTE', 'must be at most 256 characters', undefined);

  const staleSeconds = r.int('ENRICHER_CACHE_STALE_SECONDS', 3600, 0, 7 * 86400);
  const exportEndpoint = r.url('ENRICHER_EXPORT_OTLP_ENDPOINT');

  const retryInitialMs = r.int('ENRICHER_EXPORT_RETRY_INITIAL_MS', 5000, 1, 3_600_000);
  const retryMaxIntervalMs = r.int('ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS', 30_000, 1, 3_600_000);
  if (retryMaxIntervalMs < retryInitialMs)
    r.fail('ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS', `must not be below ENRICHER_EXPORT_RETRY_INITIAL_MS (${retryInitialMs})`, undefined);

  const grpcAddress = r.address('ENRICHER_OTLP_GRPC_ADDRESS', '127.0.0.1:4317');
  const httpAddress = httpAddressOf(r);

  const lookupBudgetMs = r.int('ENRICHER_LOOKUP_BUDGET_MS', 200, 0, 60_000);
  const queueMaxSpans = r.int('ENRICHER_EXPORT_QUEUE_MAX_SPANS', 1_000_000, 1, 100_000_000);
  const queueMaxBytes = r.int('ENRICHER_EXPORT_QUEUE_MAX_MIB', 256, 1, 65_536) * MIB;

  const config: Config = {
    genesys: {
      mode: clientId ? 'credentials' : 'embedded-simulator',
      clientId,
      clientSecret,
      region,
      apiUrl,
      requestTimeoutMs: r.int('GENESYS_REQUEST_TIMEOUT_MS', 5000, 100, 120_000),
      maxRequestsPerMinute: r.int('ENRICHER_GENESYS_MAX_RPM', 240, 1, 3000),
    },
    receiver: {
      grpcAddress,
      maxRecvMessageBytes: r.int('ENRICHER_OTLP_GRPC_MAX_RECV_MIB', 16, 1, 1024) * MIB,
      grpcFlowControlWindowBytes: grpcWindowOf(r),
      httpAddress,
      httpMaxBodyBytes: r.int('ENRICHER_OTLP_HTTP_MAX_BODY_MIB', 16, 1, 1024) * MIB,
      corsAllowedOrigins: corsOriginsOf(r),
      tls: receiverTlsOf(r),
      bearerToken: bearerTokenOf(r),
    },
    enrichment: {
      sourceAttribute,
      lookupBudgetMs,
      ...holdOf(r, queueMaxSpans, queueMaxBytes),
    },
    cache: {
      maxEntries: r.int('ENRICHER_CACHE_MAX_ENTRIES', 100_000, 1, 10_000_000),
      ttlMs: r.int('ENRICHER_CACHE_TTL_SECONDS', 600, 1, 7 * 86400) * 1000,
      notFoundTtlMs: r.int('ENRICHER_CACHE_NOT_FOUND_TTL_SECONDS', 60, 1, 7 * 86400) * 1000,
      staleMs: staleSeconds * 1000,
    },
    warmup: warmupOf(r),
    export: {
      endpoint: exportEndpoint,
      timeoutMs: r.int('ENRICHER_EXPORT_TIMEOUT_MS', 10_000, 100, 600_000),
      queueMaxSpans,
      queueMaxBytes,
      concurrency: r.int('ENRICHER_EXPORT_CONCURRENCY', 4, 1, 64),
      backpressureMs: r.int('ENRICHER_EXPORT_BACKPRESSURE_MS', 1000, 0, 60_000),
      retryInitialMs,
      retryMaxIntervalMs,
      retryMaxElapsedMs: r.int('ENRICHER_EXPORT_RETRY_MAX_ELAPSED_MS', 300_000, 0, 86_400_000),
      queueDir: queueDirOf(r),
      queueLockStaleMs: r.int('ENRICHER_EXPORT_QUEUE_LOCK_STALE_SECONDS', 15, 1, 3600) * 1000,
      tlsCaFile: exportCaFileOf(r, exportEndpoint),
      compression: r.oneOf('ENRICHER_EXPORT_COMPRESSION', 'gzip', ['gzip', 'none'] as const),
      headers: exportHeadersOf(r),
    },
    limits: readLimitsConfig(r, lookupBudgetMs),
    breaker: readBreakerConfig(r),
    admin: {
      address: r.address('ENRICHER_ADMIN_ADDRESS', '127.0.0.1:8081'),
      token: adminTokenOf(r),
    },
    deactivation: {
      dataDir: r.stringOr('ENRICHER_DATA_DIR', './data'),
      ...offboardingDivisionOf(r),
    },
    // OTEL_* are read only when ENRICHER_SELF_TELEMETRY is on; pass every receiver address (loop guard).
    selfTelemetry: readSelfTelemetryConfig(r, httpAddress ? [grpcAddress, httpAddress] : [grpcAddress]),
    logLevel: r.oneOf('ENRICHER_LOG_LEVEL', 'info', LOG_LEVELS),
    shutdownGraceMs: r.int('ENRICHER_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    workers: workersOf(r),
    fleet: readFleetConfig(r),
  };
  backpressureWithinDeadline(r, config.export.backpressureMs, config.limits.requestTimeoutMs);
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return { config: deepFreeze(config), defaults: r.defaults };
}

/** Shortest admin token accepted: 32 characters, e.g. `openssl rand -hex 16` (128 bits); `openssl rand -hex 32` is better. */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

/** ENRICHER_ADMIN_TOKEN: unset, or at least ADMIN_TOKEN_MIN_LENGTH characters (a short one can be guessed). Never echoed. */
function adminTokenOf(r: EnvReader): string | undefined {
  const token = r.string('ENRICHER_ADMIN_TOKEN');
  if (token === undefined || token.length >= ADMIN_TOKEN_MIN_LENGTH) return token;
  return r.fail('ENRICHER_ADMIN_TOKEN', `must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters, got ${token.length}; generate one with \`openssl rand -hex 32\``, undefined);
}

/** ENRICHER_EXPORT_QUEUE_DIR: a directory path (checked for use when the queue opens it at start). */
function queueDirOf(r: EnvReader): string | undefined {
  const dir = r.string('ENRICHER_EXPORT_QUEUE_DIR');
  if (dir === undefined) return undefined;
  if (dir.includes('\0')) return r.fail('ENRICHER_EXPORT_QUEUE_DIR', 'must be a directory path, got one with a NUL byte', undefined);
  if (dir.length > 4096) return r.fail('ENRICHER_EXPORT_QUEUE_DIR', 'must be at most 4096 characters', undefined);
  return dir;
}

/** ENRICHER_WARMUP (on/off), with how long readiness waits for it and how often it reloads the org. */
function warmupOf(r: EnvReader): Config['warmup'] {
  const raw = r.string('ENRICHER_WARMUP')?.toLowerCase();
  // On by default: an org of 10,000 users loads in ~20 calls (~10 s at 300 ms per call), and a
  // cold cache is what makes batches wait for Genesys (npm run bench, section 7; README).
  if (raw === undefined) r.noteDefault('ENRICHER_WARMUP', 'on');
  const enabled = raw === undefined || raw === 'on' || raw === 'true';
  if (raw !== undefined && !enabled && raw !== 'off' && raw !== 'false') r.fail('ENRICHER_WARMUP', `must be on or off, got "${raw}"`, undefined);
  return {
    enabled,
    readyTimeoutMs: r.int('ENRICHER_WARMUP_TIMEOUT_MS', 30_000, 0, 600_000),
    refreshMs: r.int('ENRICHER_WARMUP_REFRESH_SECONDS', 300, 0, 86_400) * 1000,
  };
}

/**
 * A request held by backpressure is still in processing for the receivers'
 * deadline; a hold as long as the deadline would turn backpressure into
 * DEADLINE_EXCEEDED answers (and client retries).
 */
function backpressureWithinDeadline(r: EnvReader, backpressureMs: number, requestTimeoutMs: number): void {
  if (requestTimeoutMs !== 0 && backpressureMs >= requestTimeoutMs) {
    r.fail('ENRICHER_EXPORT_BACKPRESSURE_MS', `must be below ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), or 0 for no backpressure`, undefined);
  }
}

/**
 * ENRICHER_OTLP_GRPC_WINDOW_KIB: HTTP/2 receive window of the OTLP/gRPC
 * receiver. Default 1 MiB (grpc-js keeps 64 KiB, where a large request waits
 * for several round trips; Go servers such as the Collector grow theirs).
 * 64 keeps grpc-js's own.
 */
function grpcWindowOf(r: EnvReader): number | undefined {
  const kib = r.int('ENRICHER_OTLP_GRPC_WINDOW_KIB', 1024, 64, 1_048_576);
  return kib === 64 ? undefined : kib * 1024;
}

/** ENRICHER_WORKERS: a count, or `auto` for one per CPU the process may use. */
function workersOf(r: EnvReader): number {
  const raw = r.string('ENRICHER_WORKERS');
  if (raw?.toLowerCase() === 'auto') return Math.min(64, os.availableParallelism());
  return r.int('ENRICHER_WORKERS', 1, 1, 64);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

// ---- OTLP/HTTP receiver, TLS and authentication, export security ----

/** ENRICHER_OTLP_HTTP_ADDRESS: host:port, or `off` to run without the OTLP/HTTP receiver. */
function httpAddressOf(r: EnvReader): string | undefined {
  if (r.string('ENRICHER_OTLP_HTTP_ADDRESS')?.toLowerCase() === 'off') return undefined;
  return r.address('ENRICHER_OTLP_HTTP_ADDRESS', '127.0.0.1:4318');
}

/** ENRICHER_OTLP_HTTP_CORS_ALLOWED_ORIGINS: comma-separated origins or `*`. */
function corsOriginsOf(r: EnvReader): string[] {
  const entries = (r.string('ENRICHER_OTLP_HTTP_CORS_ALLOWED_ORIGINS') ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
  const bad = entries.filter((o) => o !== '*' && normalizeOrigin(o) === undefined);
  if (bad.length > 0) {
    r.fail('ENRICHER_OTLP_HTTP_CORS_ALLOWED_ORIGINS', `entries must be * or scheme://host[:port] without a path, got ${bad.map((o) => `"${o}"`).join(', ')}`, undefined);
  }
  return entries.filter((o) => !bad.includes(o)).map((o) => (o === '*' ? o : normalizeOrigin(o)!));
}

const TLS_KEYS: Readonly<Record<keyof ServerTlsFiles, string>> = {
  certFile: 'ENRICHER_TLS_CERT_FILE',
  keyFile: 'ENRICHER_TLS_KEY_FILE',
  clientCaFile: 'ENRICHER_TLS_CLIENT_CA_FILE',
};

/** ENRICHER_TLS_*: certificate and key together, optional client CA; the files are read and checked now. */
function receiverTlsOf(r: EnvReader): ServerTlsFiles | undefined {
  const certFile = r.string(TLS_KEYS.certFile);
  const keyFile = r.string(TLS_KEYS.keyFile);
  const clientCaFile = r.string(TLS_KEYS.clientCaFile);
  if (!certFile && !keyFile) {
    if (clientCaFile) r.fail(TLS_KEYS.clientCaFile, `needs ${TLS_KEYS.certFile} and ${TLS_KEYS.keyFile} (mTLS is TLS first)`, undefined);
    return undefined;
  }
  if (!certFile || !keyFile) {
    const [missing, set] = certFile ? [TLS_KEYS.keyFile, TLS_KEYS.certFile] : [TLS_KEYS.certFile, TLS_KEYS.keyFile];
    return r.fail(missing, `is required when ${set} is set`, undefined);
  }
  const files: ServerTlsFiles = { certFile, keyFile, clientCaFile };
  const { problems } = readServerTls(files);
  for (const p of problems) r.fail(TLS_KEYS[p.file], p.message, undefined);
  return problems.length === 0 ? files : undefined;
}

/** ENRICHER_RECEIVER_BEARER_TOKEN: a secret, never echoed. */
function bearerTokenOf(r: EnvReader): string | undefined {
  const token = r.string('ENRICHER_RECEIVER_BEARER_TOKEN');
  if (token !== undefined && /\s/.test(token)) return r.fail('ENRICHER_RECEIVER_BEARER_TOKEN', 'must not contain whitespace', undefined);
  return token;
}

/** ENRICHER_EXPORT_TLS_CA_FILE: a readable PEM bundle, meaningful only for an https:// endpoint. */
function exportCaFileOf(r: EnvReader, endpoint: string | undefined): string | undefined {
  const file = r.string('ENRICHER_EXPORT_TLS_CA_FILE');
  if (file === undefined) return undefined;
  if (!endpoint?.startsWith('https://')) {
    return r.fail('ENRICHER_EXPORT_TLS_CA_FILE', 'is set but ENRICHER_EXPORT_OTLP_ENDPOINT is not an https:// endpoint', undefined);
  }
  const { problem } = readCaBundle(file);
  return problem === undefined ? file : r.fail('ENRICHER_EXPORT_TLS_CA_FILE', problem, undefined);
}

// gRPC metadata keys; transport-level ones are grpc-js's to set.
const HEADER_NAME = /^[0-9a-z_.-]+$/;
const RESERVED_HEADER = /^(grpc-.*|te|content-type|user-agent|host|connection|:.*)$|-bin$/;

/**
 * ENRICHER_EXPORT_HEADERS: `name=value,name=value` as in OTEL_EXPORTER_OTLP_HEADERS
 * (values percent-decoded). Values are secrets: problems name the entry, never the value.
 */
function exportHeadersOf(r: EnvReader): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = r.string('ENRICHER_EXPORT_HEADERS');
  if (raw === undefined) return headers;
  raw.split(',').forEach((entry, i) => {
    const eq = entry.indexOf('=');
    const name = (eq < 0 ? '' : entry.slice(0, eq)).trim().toLowerCase();
    let value: string | undefined;
    try {
      value = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      value = undefined;
    }
    if (eq < 0 || !HEADER_NAME.test(name)) r.fail('ENRICHER_EXPORT_HEADERS', `entry ${i + 1} must be name=value, the name made of letters, digits, "-", "_" or "."`, undefined);
    else if (RESERVED_HEADER.test(name)) r.fail('ENRICHER_EXPORT_HEADERS', `header "${name}" is set by gRPC itself`, undefined);
    else if (value === undefined || !/^[\x20-\x7e]*$/.test(value)) r.fail('ENRICHER_EXPORT_HEADERS', `the value of "${name}" must be printable ASCII (percent-encoded is fine)`, undefined);
    else headers[name] = value;
  });
  return headers;
}

/**
 * The hold for batches whose look-ups outlast the budget. The default (90 s)
 * outlasts what Genesys asks a throttled client to wait (its limits are per
 * minute, so a Retry-After is at most about 60 s; it sends values like 42 s)
 * plus a look-up and its retries. The hold's bounds are part of the sending
 * queue's and default to half of them.
 */
function holdOf(r: EnvReader, queueMaxSpans: number, queueMaxBytes: number): Pick<EnrichmentConfig, 'lookupHoldMs' | 'holdMaxSpans' | 'holdMaxBytes'> {
  const lookupHoldMs = r.int('ENRICHER_LOOKUP_HOLD_MS', 90_000, 0, 3_600_000);
  const holdMaxSpans = r.int('ENRICHER_LOOKUP_HOLD_MAX_SPANS', Math.max(1, Math.floor(queueMaxSpans / 2)), 1, 100_000_000);
  const holdMaxBytes = r.int('ENRICHER_LOOKUP_HOLD_MAX_MIB', Math.max(1, Math.floor(queueMaxBytes / MIB / 2)), 1, 65_536) * MIB;
  if (holdMaxSpans > queueMaxSpans) r.fail('ENRICHER_LOOKUP_HOLD_MAX_SPANS', `must not exceed ENRICHER_EXPORT_QUEUE_MAX_SPANS (${queueMaxSpans}): held spans count towards the sending queue`, undefined);
  if (holdMaxBytes > queueMaxBytes) r.fail('ENRICHER_LOOKUP_HOLD_MAX_MIB', `must not exceed ENRICHER_EXPORT_QUEUE_MAX_MIB (${queueMaxBytes / MIB}): held requests count towards the sending queue`, undefined);
  return { lookupHoldMs, holdMaxSpans, holdMaxBytes };
}

// A Genesys division id (a UUID), canonical lower case; unset means the optional division step cannot run.
function offboardingDivisionOf(r: EnvReader): { offboardingDivisionId?: string } {
  const raw = r.string('ENRICHER_OFFBOARDING_DIVISION_ID');
  if (raw === undefined) return {};
  const id = normalizeUserId(raw);
  if (id === undefined) return r.fail('ENRICHER_OFFBOARDING_DIVISION_ID', `must be a Genesys division id (a UUID), got "${raw}"`, {});
  return { offboardingDivisionId: id };
}
