/**
 * The environment a test gives the service so it talks to a local Genesys
 * simulator and a local sink, on free loopback ports. One place, so the
 * in-process harness and the child-process tests agree on it.
 */
export interface SimulatorCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly url: string;
}

/** Simulator credentials, port-0 listeners and the sink as export endpoint; `extra` wins. */
export function serviceEnv(sim: SimulatorCredentials, sinkEndpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GENESYS_CLIENT_ID: sim.clientId,
    GENESYS_CLIENT_SECRET: sim.clientSecret,
    GENESYS_API_URL: sim.url,
    ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0',
    ENRICHER_OTLP_HTTP_ADDRESS: '127.0.0.1:0',
    ENRICHER_ADMIN_ADDRESS: '127.0.0.1:0',
    ENRICHER_EXPORT_OTLP_ENDPOINT: sinkEndpoint,
    // Tests start from a cold cache (they count look-ups); warm-up tests turn it on.
    ENRICHER_WARMUP: 'off',
    ...extra,
  };
}
