import type { TracesConsumer } from '../../pipeline/consumer';
import type { Logger } from '../../telemetry/logger';
import type { BearerTokenAuth } from '../auth/index';
import { TRANSPORT_DEFAULTS } from '../connectionLimit';
import type { RequestGuardOptions } from '../limits/requestGuard';
import type { IncomingMemory } from './body';
import { JSON_CONVERTER_DEFAULTS } from './json/converter';
import type { ServerTlsMaterial } from '../tls/index';
import { normalizeOrigin } from './cors';

/** Options of {@link OtlpHttpReceiver}. */
export interface OtlpHttpReceiverOptions {
  /** Listen address `host:port` (IPv6 as `[::1]:4318`); port 0 picks a free port, see `receiver.port`. */
  readonly address: string;
  /** The next stage; each request becomes one batch. */
  readonly next: TracesConsumer;
  readonly logger: Logger;
  /**
   * Largest accepted body, bytes, on the wire and again after gzip
   * decompression; larger requests are answered 413 (not retried). Default 16 MiB.
   */
  readonly maxBodyBytes?: number;
  /** Origins allowed cross-origin (browser exporters): exact `scheme://host[:port]` or `*`. Default none. */
  readonly corsAllowedOrigins?: readonly string[];
  /** Requires `authorization: Bearer <token>` on every export; missing or wrong is answered 401. Default off. */
  readonly auth?: BearerTokenAuth;
  /** Serve HTTPS with this certificate (and, with a client CA, require client certificates). Default plaintext. */
  readonly tls?: ServerTlsMaterial;
  /** How long `shutdown()` lets in-flight requests finish before closing connections, ms. Default 5000. */
  readonly shutdownGraceMs?: number;
  /**
   * Concurrency cap, processing deadline and admissions (the memory limiter),
   * applied before the body is read; see RequestGuardOptions for the defaults.
   */
  readonly guard?: RequestGuardOptions;
  /** Counts body bytes against the memory limit while they arrive (the MemoryLimiter). Default none. */
  readonly memory?: IncomingMemory;
  /** The whole body must arrive within this, ms, or the request is answered 408 and its connection closed. 0: none. Default 15,000. */
  readonly receiveTimeoutMs?: number;
  /** Elements (objects, arrays, members, items) an OTLP/JSON body may hold; more is answered 400 before parsing. Default 500,000. */
  readonly maxJsonElements?: number;
  /** Connections open at once; more are closed on arrival. 0: no cap. Default 4096. */
  readonly maxConnections?: number;
  /** A connection without traffic for this long is closed, ms. 0: never. Default 300,000 (keep-alive connections close after 5 s between requests anyway). */
  readonly idleTimeoutMs?: number;
}

export interface ResolvedHttpReceiverOptions {
  readonly address: string;
  readonly next: TracesConsumer;
  readonly maxBodyBytes: number;
  readonly corsAllowedOrigins: readonly string[];
  readonly auth?: BearerTokenAuth;
  readonly tls?: ServerTlsMaterial;
  readonly shutdownGraceMs: number;
  readonly guard: RequestGuardOptions;
  readonly memory?: IncomingMemory;
  readonly receiveTimeoutMs: number;
  readonly maxJsonElements: number;
  readonly maxConnections: number;
  readonly idleTimeoutMs: number;
}

/** Defaults of the optional receiver options (bytes, ms). */
export const HTTP_RECEIVER_DEFAULTS = Object.freeze({
  maxBodyBytes: 16 * 1024 * 1024,
  shutdownGraceMs: 5_000,
});

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/;

/** Applies defaults and rejects bad options, naming every problem at once. */
export function resolveHttpReceiverOptions(options: OtlpHttpReceiverOptions): ResolvedHttpReceiverOptions {
  const resolved = {
    address: options.address,
    next: options.next,
    maxBodyBytes: options.maxBodyBytes ?? HTTP_RECEIVER_DEFAULTS.maxBodyBytes,
    corsAllowedOrigins: Object.freeze([...(options.corsAllowedOrigins ?? [])]),
    auth: options.auth,
    tls: options.tls,
    shutdownGraceMs: options.shutdownGraceMs ?? HTTP_RECEIVER_DEFAULTS.shutdownGraceMs,
    guard: options.guard ?? {},
    memory: options.memory,
    receiveTimeoutMs: options.receiveTimeoutMs ?? TRANSPORT_DEFAULTS.receiveTimeoutMs,
    maxJsonElements: options.maxJsonElements ?? JSON_CONVERTER_DEFAULTS.maxElements,
    maxConnections: options.maxConnections ?? TRANSPORT_DEFAULTS.maxConnections,
    idleTimeoutMs: options.idleTimeoutMs ?? TRANSPORT_DEFAULTS.idleTimeoutMs,
  };
  const problems: string[] = [];
  const match = HOST_PORT.exec(resolved.address ?? '');
  if (!match || Number(match[2]) > 65_535) problems.push(`address must be host:port, got ${JSON.stringify(options.address)}`);
  if (typeof resolved.next?.consumeTraces !== 'function') problems.push('next must be a TracesConsumer');
  if (!Number.isSafeInteger(resolved.maxBodyBytes) || resolved.maxBodyBytes <= 0) {
    problems.push(`maxBodyBytes must be a positive integer, got ${resolved.maxBodyBytes}`);
  }
  const badOrigins = resolved.corsAllowedOrigins.filter((o) => o !== '*' && normalizeOrigin(o) === undefined);
  if (badOrigins.length > 0) problems.push(`corsAllowedOrigins must hold * or scheme://host[:port], got ${JSON.stringify(badOrigins)}`);
  if (!Number.isFinite(resolved.shutdownGraceMs) || resolved.shutdownGraceMs < 0) {
    problems.push(`shutdownGraceMs must be >= 0, got ${resolved.shutdownGraceMs}`);
  }
  if (!Number.isSafeInteger(resolved.receiveTimeoutMs) || resolved.receiveTimeoutMs < 0 || resolved.receiveTimeoutMs > 2 ** 31 - 1) {
    problems.push(`receiveTimeoutMs must be an integer from 0 to 2^31-1, got ${resolved.receiveTimeoutMs}`);
  }
  if (!Number.isSafeInteger(resolved.maxJsonElements) || resolved.maxJsonElements < 1) problems.push(`maxJsonElements must be a positive integer, got ${resolved.maxJsonElements}`);
  if (problems.length > 0) throw new Error(`OtlpHttpReceiver: invalid options: ${problems.join('; ')}`);
  return Object.freeze(resolved);
}
