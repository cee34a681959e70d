/**
 * The parts of the service's contract that the deployment files must agree with.
 * Environment variable names come from the service's own list, so a renamed or
 * removed variable fails these tests; the defaults below are restated from
 * src/config/env.ts, which keeps them inline rather than exported.
 */
export { ENV_VARS } from '../../../src/config/env';

/** ENRICHER_OTLP_GRPC_ADDRESS when unset (loopback, as the Collector: containers must override it). */
export const DEFAULT_OTLP_GRPC_ADDRESS = '127.0.0.1:4317';
/** ENRICHER_OTLP_HTTP_ADDRESS when unset (loopback: containers must override it). */
export const DEFAULT_OTLP_HTTP_ADDRESS = '127.0.0.1:4318';
/** ENRICHER_ADMIN_ADDRESS when unset (loopback: containers must override it). */
export const DEFAULT_ADMIN_ADDRESS = '127.0.0.1:8081';
/** Liveness route on the admin address. */
export const HEALTH_PATH = '/healthz';
/** The CLI's source file; `serve` is the service. */
export const CLI_SOURCE = 'src/cli/main.ts';
/** Jaeger v2 all-in-one: OTLP/gRPC receiver port and healthcheckv2 HTTP port. */
export const JAEGER_OTLP_GRPC_PORT = 4317;
export const JAEGER_HEALTH_PORT = 13133;
