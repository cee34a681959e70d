import { readFileSync } from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import type { ReceiverConfig } from '../config/index';
import type { LimitsConfig } from '../config/types';
import type { TracesConsumer } from '../pipeline/consumer';
import { BearerTokenAuth, bearerTokenInterceptor } from '../receiver/auth/index';
import type { MemoryLimiter, RequestGuardOptions } from '../receiver/limits/index';
import { OtlpHttpReceiver } from '../receiver/otlphttp/index';
import { type ServerTlsMaterial, grpcServerCredentials, loadServerTls } from '../receiver/tls/index';
import type { Logger } from '../telemetry/logger';

/** TLS and authentication shared by both receivers. */
export interface ReceiverSecurity {
  readonly tls?: ServerTlsMaterial;
  readonly auth?: BearerTokenAuth;
  /** For the gRPC receiver: TLS credentials (undefined: plaintext) and the auth interceptor, if any. */
  readonly grpcCredentials?: grpc.ServerCredentials;
  readonly grpcInterceptors: grpc.ServerInterceptor[];
}

/** Loads the TLS files (checked when the config was built) and sets up bearer-token auth. */
export function receiverSecurity(config: ReceiverConfig, logger: Logger): ReceiverSecurity {
  const tls = config.tls ? loadServerTls(config.tls) : undefined;
  const auth = config.bearerToken === undefined ? undefined : new BearerTokenAuth(config.bearerToken);
  if (auth && !tls) logger.warn('ENRICHER_RECEIVER_BEARER_TOKEN is set without TLS: the token travels in plaintext');
  warnIfOpen(config, auth !== undefined || config.tls?.clientCaFile !== undefined, logger);
  return {
    tls,
    auth,
    grpcCredentials: tls ? grpcServerCredentials(tls) : undefined,
    grpcInterceptors: auth ? [bearerTokenInterceptor(auth)] : [],
  };
}

/**
 * Warns once per receiver listening beyond loopback with neither a bearer
 * token nor mTLS: anyone who reaches the port can then send spans (and
 * through them, look-ups) to the service.
 */
function warnIfOpen(config: ReceiverConfig, authenticated: boolean, logger: Logger): void {
  if (authenticated) return;
  const listening = [
    ['ENRICHER_OTLP_GRPC_ADDRESS', config.grpcAddress],
    ['ENRICHER_OTLP_HTTP_ADDRESS', config.httpAddress],
  ] as const;
  for (const [variable, address] of listening) {
    if (address === undefined || isLoopback(address)) continue;
    logger.warn(
      { variable, address },
      'receiver listens beyond loopback without authentication: set ENRICHER_RECEIVER_BEARER_TOKEN or mTLS (ENRICHER_TLS_CLIENT_CA_FILE), or listen on 127.0.0.1',
    );
  }
}

// Descriptors kept for everything but the receivers' connections: admin, exporter, queue files, Genesys.
const RESERVED_DESCRIPTORS = 256;

/**
 * Warns when the receivers' connection caps could take every file descriptor
 * of the process (`ulimit -n`): then a flood of connections would again stop
 * /healthz and the queue files. Returns the warning's facts, or undefined.
 */
export function checkDescriptorBudget(maxConnections: number, receivers: number, logger: Logger, openFilesLimit = readOpenFilesLimit()): object | undefined {
  if (openFilesLimit === undefined) return undefined;
  const needed = maxConnections === 0 ? Infinity : maxConnections * receivers + RESERVED_DESCRIPTORS;
  if (needed <= openFilesLimit) return undefined;
  const suggested = Math.max(1, Math.floor((openFilesLimit - RESERVED_DESCRIPTORS) / receivers));
  const facts = { maxConnections, receivers, openFilesLimit, suggestedMaxConnections: suggested };
  logger.warn(facts, 'the receivers may hold more connections than the process may open files: lower ENRICHER_OTLP_MAX_CONNECTIONS or raise the open-files limit');
  return facts;
}

/** The soft limit on open files of this process (Linux), or undefined when unknown. */
function readOpenFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isSafeInteger(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}

/** True for a host:port on the loopback interface (127.0.0.0/8, ::1, localhost). */
export function isLoopback(address: string): boolean {
  const host = address.slice(0, address.lastIndexOf(':')).replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::ffff:127.0.0.1';
}

/** The OTLP/HTTP receiver, or undefined when ENRICHER_OTLP_HTTP_ADDRESS is off. */
export function buildHttpReceiver(
  config: ReceiverConfig,
  security: ReceiverSecurity,
  next: TracesConsumer,
  limits: { readonly transport: LimitsConfig['transport']; readonly guard: RequestGuardOptions; readonly memory: MemoryLimiter | undefined },
  shutdownGraceMs: number,
  logger: Logger,
): OtlpHttpReceiver | undefined {
  if (config.httpAddress === undefined) return undefined;
  return new OtlpHttpReceiver({
    address: config.httpAddress,
    next,
    logger,
    maxBodyBytes: config.httpMaxBodyBytes,
    corsAllowedOrigins: config.corsAllowedOrigins,
    auth: security.auth,
    tls: security.tls,
    shutdownGraceMs,
    guard: limits.guard,
    memory: limits.memory,
    receiveTimeoutMs: limits.transport.receiveTimeoutMs,
    maxJsonElements: limits.transport.maxJsonElements,
    maxConnections: limits.transport.maxConnections,
    idleTimeoutMs: limits.transport.idleTimeoutMs,
  });
}
