/**
 * The whole service as a user runs it, in-process: the Genesys simulator (a
 * real HTTP server behind the real SDK), the enricher built by the composition
 * root from environment-style settings, and a gRPC sink standing in for Jaeger.
 */
import { PassThrough } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { configFromEnv } from '../../src/config/index';
import { startService, type RunningService } from '../../src/service/index';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index';
import { type Logger, silentLogger } from '../../src/telemetry/logger';
import { certPath, readCert } from './certs';
import { GrpcSink } from './grpcSink';
import { createOtelClient, type OtelClient } from './otelClient';
import { serviceEnv } from './serviceEnv';

export interface HarnessOptions {
  /** Extra environment variables (ENRICHER_*), on top of the harness's. */
  env?: Record<string, string>;
  simulator?: SimulatorOptions;
  /** The sink serves TLS with the test server certificate; the enricher exports to https:// trusting the test CA. */
  sinkTls?: boolean;
  /** The service's logger; default silent. */
  logger?: Logger;
}

export interface Harness {
  sim: Simulator;
  sink: GrpcSink;
  service: RunningService;
  /** A real OpenTelemetry SDK client exporting to the enricher. */
  client(serviceName?: string): OtelClient;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = await startSimulator(options.simulator);
  const sink = await GrpcSink.start({ credentials: options.sinkTls ? sinkTlsCredentials() : undefined });
  try {
    return await startServiceBetween(sim, sink, options);
  } catch (err) {
    // A bad config or a failed start must not leave the simulator and sink keeping the test file alive.
    await sink.close();
    await sim.close();
    throw err;
  }
}

async function startServiceBetween(sim: Simulator, sink: GrpcSink, options: HarnessOptions): Promise<Harness> {
  const config = configFromEnv({
    ...serviceEnv(sim, sink.endpoint),
    ...(options.sinkTls ? { ENRICHER_EXPORT_OTLP_ENDPOINT: `https://localhost:${sink.port}`, ENRICHER_EXPORT_TLS_CA_FILE: certPath('ca') } : {}),
    ENRICHER_EXPORT_RETRY_INITIAL_MS: '50',
    ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS: '200',
    ENRICHER_SHUTDOWN_GRACE_MS: '2000',
    // Generous, so a loaded CI machine never turns a slow look-up into `failed`; budget tests set their own.
    ENRICHER_LOOKUP_BUDGET_MS: '5000',
    ...options.env,
  });
  const service = await startService(config, { logger: options.logger ?? silentLogger(), debugOutput: new PassThrough() });
  const clients: OtelClient[] = [];
  return {
    sim,
    sink,
    service,
    client(serviceName) {
      const c = createOtelClient({ port: service.grpcPort, serviceName });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.shutdown()));
      await service.shutdown();
      await sink.close();
      await sim.close();
    },
  };
}

/** Ends one span per id (undefined: no id attribute) with extra attributes, and flushes. */
export async function sendSpans(
  client: OtelClient,
  ids: readonly (string | undefined)[],
  extra: Record<string, string | number | boolean> = {},
): Promise<void> {
  ids.forEach((id, i) => {
    const attributes: Record<string, string | number | boolean> = { 'span.index': i, ...extra };
    if (id !== undefined) attributes['external.user.id'] = id;
    client.tracer.startSpan(`op-${i}`, { attributes }).end();
  });
  await client.flush();
}

/** Server credentials of a TLS sink: the test server certificate, no client certificate asked. */
export function sinkTlsCredentials(): grpc.ServerCredentials {
  return grpc.ServerCredentials.createSsl(null, [{ cert_chain: readCert('server'), private_key: readCert('server', 'key') }], false);
}
