import type * as grpc from '@grpc/grpc-js';

/**
 * Connection settings of the OTLP/gRPC server, all optional: unset keeps
 * grpc-js's default. grpc-js (1.14) implements these on the server side; it
 * has no server-side ping policy (`grpc.keepalive_permit_without_calls` is a
 * client option there, `grpc.http2.max_ping_strikes` does not exist), so a
 * client pinging too often is not sent away; Node's HTTP/2 layer still bounds
 * outstanding pings and drops flooding sessions.
 */
export interface GrpcConnectionLimits {
  /** The server pings a connection after this long without activity, ms (`grpc.keepalive_time_ms`). Default: never (grpc-js). */
  readonly keepaliveTimeMs?: number;
  /** How long the server waits for the ping's answer before closing the connection, ms (`grpc.keepalive_timeout_ms`). Default 20,000. */
  readonly keepaliveTimeoutMs?: number;
  /** A connection without calls for this long is closed with GOAWAY, ms (`grpc.max_connection_idle_ms`). Default: never. */
  readonly maxConnectionIdleMs?: number;
  /**
   * A connection this old is closed with GOAWAY, ms (`grpc.max_connection_age_ms`),
   * so long-lived clients reconnect and spread over replicas behind a load balancer. Default: never.
   */
  readonly maxConnectionAgeMs?: number;
  /** Calls still running on a connection past its max age may finish within this, ms (`grpc.max_connection_age_grace_ms`). Default: unlimited. */
  readonly maxConnectionAgeGraceMs?: number;
}

const CHANNEL_OPTION: Readonly<Record<keyof GrpcConnectionLimits, string>> = Object.freeze({
  keepaliveTimeMs: 'grpc.keepalive_time_ms',
  keepaliveTimeoutMs: 'grpc.keepalive_timeout_ms',
  maxConnectionIdleMs: 'grpc.max_connection_idle_ms',
  maxConnectionAgeMs: 'grpc.max_connection_age_ms',
  maxConnectionAgeGraceMs: 'grpc.max_connection_age_grace_ms',
});

// grpc-js keeps these in 32-bit timers.
const MAX_MS = 2 ** 31 - 1;

/** One message per invalid setting (each must be an integer in 1..2^31-1 ms). */
export function connectionLimitProblems(limits: GrpcConnectionLimits | undefined): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(limits ?? {})) {
    if (!(key in CHANNEL_OPTION)) problems.push(`connection.${key} is not a known setting`);
    else if (value !== undefined && (!Number.isSafeInteger(value) || value < 1 || value > MAX_MS)) {
      problems.push(`connection.${key} must be an integer from 1 to ${MAX_MS} ms, got ${value}`);
    }
  }
  return problems;
}

/** The grpc-js server options for `limits` (only the settings that are set). */
export function grpcServerOptions(limits: GrpcConnectionLimits | undefined): grpc.ServerOptions {
  const options: Record<string, number> = {};
  for (const [key, name] of Object.entries(CHANNEL_OPTION) as [keyof GrpcConnectionLimits, string][]) {
    const value = limits?.[key];
    if (value !== undefined) options[name] = value;
  }
  return options;
}
