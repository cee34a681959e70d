import pino from 'pino';

/** The service's structured logger (pino). Components take a child logger by injection. */
export type Logger = pino.Logger;

/** Paths that must never be printed, whatever a component puts in a log record. */
export const REDACT_PATHS = [
  'clientSecret',
  '*.clientSecret',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  // Spellings of the same secrets: Genesys' OAuth body (client_secret, access_token),
  // axios' capitalised header (also on an AxiosError's config), bearer and admin tokens,
  // passwords, the variables that hold secrets, and OTLP export headers.
  'client_secret',
  '*.client_secret',
  'access_token',
  '*.access_token',
  'password',
  '*.password',
  'bearerToken',
  '*.bearerToken',
  'adminToken',
  '*.adminToken',
  'Authorization',
  '*.Authorization',
  'headers.Authorization',
  '*.headers.Authorization',
  'config.headers.Authorization',
  '*.config.headers.Authorization',
  'headers.cookie',
  '*.headers.cookie',
  'headers',
  '*.headers',
  'GENESYS_CLIENT_SECRET',
  '*.GENESYS_CLIENT_SECRET',
  'ENRICHER_ADMIN_TOKEN',
  '*.ENRICHER_ADMIN_TOKEN',
  'OTEL_EXPORTER_OTLP_HEADERS',
  '*.OTEL_EXPORTER_OTLP_HEADERS',
  // ENRICHER_REDIS_URL carries the Redis password; log redactRedisUrl() of it instead.
  'redisUrl',
  '*.redisUrl',
  'ENRICHER_REDIS_URL',
  '*.ENRICHER_REDIS_URL',
];

export interface LoggerOptions {
  /** pino level: trace|debug|info|warn|error|fatal|silent. Default info. */
  level?: string;
  /** Where to write; default stdout. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: 'genesys-otel-enricher',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** A logger that drops everything; for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
