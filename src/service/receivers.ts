import type * as grpc from '@grpc/grpc-js';
import type { ReceiverConfig } from '../config/index';
import type { TracesConsumer } from '../pipeline/consumer';
import { BearerTokenAuth, bearerTokenInterceptor } from '../receiver/auth/index';
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
  return {
    tls,
    auth,
    grpcCredentials: tls ? grpcServerCredentials(tls) : undefined,
    grpcInterceptors: auth ? [bearerTokenInterceptor(auth)] : [],
  };
}

/** The OTLP/HTTP receiver, or undefined when ENRICHER_OTLP_HTTP_ADDRESS is off. */
export function buildHttpReceiver(
  config: ReceiverConfig,
  security: ReceiverSecurity,
  next: TracesConsumer,
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
  });
}
