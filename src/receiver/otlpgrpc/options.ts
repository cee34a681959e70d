import * as grpc from '@grpc/grpc-js';
import type { TracesConsumer } from '../../pipeline/consumer';
import type { Logger } from '../../telemetry/logger';
import type { RequestGuardOptions } from '../limits/requestGuard';
import { TRANSPORT_DEFAULTS } from '../connectionLimit';
import { DEFAULT_FLOW_CONTROL_WINDOW, MAX_FLOW_CONTROL_WINDOW } from './flowControlWindow';
import { type GrpcConnectionLimits, connectionLimitProblems } from './limits';

/** Options of {@link OtlpGrpcReceiver}. */
export interface OtlpGrpcReceiverOptions {
  /** Listen address `host:port` (IPv6 as `[::1]:4317`); port 0 picks a free port, see `receiver.port`. */
  readonly address: string;
  /** The next stage; each Export request becomes one batch. */
  readonly next: TracesConsumer;
  readonly logger: Logger;
  /**
   * Largest accepted request, bytes, checked on the wire and again after gzip
   * decompression; larger requests are answered RESOURCE_EXHAUSTED (not retried by
   * OTLP clients). Default 16 MiB.
   */
  readonly maxRecvMessageBytes?: number;
  /** Transport security. Default insecure (plaintext HTTP/2); pass `ServerCredentials.createSsl(...)` for TLS. */
  readonly credentials?: grpc.ServerCredentials;
  /** grpc-js server interceptors run on every call before the handler, e.g. `bearerTokenInterceptor` (receiver/auth). Default none. */
  readonly interceptors?: readonly grpc.ServerInterceptor[];
  /** How long `shutdown()` lets in-flight requests finish before closing connections, ms. Default 5000. */
  readonly shutdownGraceMs?: number;
  /**
   * Concurrency cap, processing deadline, admissions (the memory limiter) and
   * the hand-off watch applied to every request; see RequestGuardOptions for
   * the defaults (256 requests, 30 s).
   */
  readonly guard?: RequestGuardOptions;
  /** Keepalive and connection lifetime settings; unset ones keep grpc-js's defaults. */
  readonly connection?: GrpcConnectionLimits;
  /**
   * HTTP/2 receive window per stream and per connection, bytes (see
   * flowControlWindow.ts). Default: Node's and grpc-js's 64 KiB.
   */
  readonly flowControlWindowBytes?: number;
  /**
   * A request whose message has not fully arrived within this, ms, is
   * cancelled (RST_STREAM) and its buffered bytes dropped. 0: none. Default 15,000.
   */
  readonly receiveTimeoutMs?: number;
  /** Connections open at once; more are closed on arrival. 0: no cap. Default 4096. */
  readonly maxConnections?: number;
  /**
   * A connection without a frame either way for this long is closed with
   * GOAWAY, ms (`connection.maxConnectionIdleMs` is grpc-js's own, counting
   * calls instead). 0: never. Default 300,000.
   */
  readonly idleTimeoutMs?: number;
}

export interface ResolvedReceiverOptions {
  readonly address: string;
  readonly next: TracesConsumer;
  readonly maxRecvMessageBytes: number;
  readonly credentials: grpc.ServerCredentials;
  readonly interceptors: readonly grpc.ServerInterceptor[];
  readonly shutdownGraceMs: number;
  readonly guard: RequestGuardOptions;
  readonly connection: GrpcConnectionLimits;
  readonly flowControlWindowBytes?: number;
  readonly receiveTimeoutMs: number;
  readonly maxConnections: number;
  readonly idleTimeoutMs: number;
}

/** Defaults of the optional receiver options (bytes, ms). */
export const RECEIVER_DEFAULTS = Object.freeze({
  maxRecvMessageBytes: 16 * 1024 * 1024,
  shutdownGraceMs: 5_000,
});

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/;

/** Applies defaults and rejects bad options, naming every problem at once. */
export function resolveReceiverOptions(options: OtlpGrpcReceiverOptions): ResolvedReceiverOptions {
  const resolved = {
    address: options.address,
    next: options.next,
    maxRecvMessageBytes: options.maxRecvMessageBytes ?? RECEIVER_DEFAULTS.maxRecvMessageBytes,
    credentials: options.credentials ?? grpc.ServerCredentials.createInsecure(),
    interceptors: Object.freeze([...(options.interceptors ?? [])]),
    shutdownGraceMs: options.shutdownGraceMs ?? RECEIVER_DEFAULTS.shutdownGraceMs,
    guard: options.guard ?? {},
    connection: Object.freeze({ ...options.connection }),
    flowControlWindowBytes: options.flowControlWindowBytes,
    receiveTimeoutMs: options.receiveTimeoutMs ?? TRANSPORT_DEFAULTS.receiveTimeoutMs,
    maxConnections: options.maxConnections ?? TRANSPORT_DEFAULTS.maxConnections,
    idleTimeoutMs: options.idleTimeoutMs ?? TRANSPORT_DEFAULTS.idleTimeoutMs,
  };

  const problems: string[] = [];
  const match = HOST_PORT.exec(resolved.address ?? '');
  if (!match || Number(match[2]) > 65_535) problems.push(`address must be host:port, got ${JSON.stringify(options.address)}`);
  if (typeof resolved.next?.consumeTraces !== 'function') problems.push('next must be a TracesConsumer');
  if (!Number.isSafeInteger(resolved.maxRecvMessageBytes) || resolved.maxRecvMessageBytes <= 0) {
    problems.push(`maxRecvMessageBytes must be a positive integer, got ${resolved.maxRecvMessageBytes}`);
  }
  if (!Number.isFinite(resolved.shutdownGraceMs) || resolved.shutdownGraceMs < 0) {
    problems.push(`shutdownGraceMs must be >= 0, got ${resolved.shutdownGraceMs}`);
  }
  problems.push(...connectionLimitProblems(resolved.connection));
  const window = resolved.flowControlWindowBytes;
  if (window !== undefined && (!Number.isSafeInteger(window) || window < DEFAULT_FLOW_CONTROL_WINDOW || window > MAX_FLOW_CONTROL_WINDOW)) {
    problems.push(`flowControlWindowBytes must be an integer from ${DEFAULT_FLOW_CONTROL_WINDOW} to ${MAX_FLOW_CONTROL_WINDOW}, got ${window}`);
  }
  if (!Number.isSafeInteger(resolved.receiveTimeoutMs) || resolved.receiveTimeoutMs < 0 || resolved.receiveTimeoutMs > 2 ** 31 - 1) {
    problems.push(`receiveTimeoutMs must be an integer from 0 to 2^31-1, got ${resolved.receiveTimeoutMs}`);
  }
  if (problems.length > 0) throw new Error(`OtlpGrpcReceiver: invalid options: ${problems.join('; ')}`);
  return Object.freeze(resolved);
}
