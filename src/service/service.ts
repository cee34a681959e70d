import type { Writable } from 'node:stream';
import { createAdminApp } from '../admin/app';
import { HealthRegistry } from '../admin/health';
import { AdminServer } from '../admin/server';
import type { Config } from '../config/index';
import { normalizeUserId } from '../directory/index';
import type { DemoAgents } from '../demo/traffic';
import { WireTraceCodec } from '../processor/codec/index';
import { ALL_ENRICHMENT_KEYS, EnrichmentProcessor } from '../processor/enrich/index';
import { OtlpGrpcReceiver } from '../receiver/otlpgrpc/index';
import { BufferPool } from '../pipeline/bufferPool';
import type { TracesConsumer } from '../pipeline/consumer';
import { HandoffTap } from '../receiver/limits/index';
import { buildMemoryLimiter, guardOptions } from './limits';
import { buildMetrics } from './metrics';
import type { Logger } from '../telemetry/logger';
import { startSelfTelemetry } from '../telemetry/selfTelemetry';
import { RuntimeMonitor } from '../telemetry/runtimeMonitor';
import { DirectoryWarmup } from '../directory/warmup/index';
import { buildDeactivation } from './deactivation';
import { buildDirectory } from './directory';
import { buildExporter } from './exporter';
import { resolveGenesysTarget } from './genesysTarget';
import { buildHttpReceiver, checkDescriptorBudget, receiverSecurity } from './receivers';

export interface ServiceDeps {
  logger: Logger;
  /** Where the debug exporter prints; default stdout. */
  debugOutput?: Writable;
  /** What the memory limiter reads, bytes; default the process's heap in use plus external memory. For tests. */
  readMemory?: () => number;
}

/** A started service. */
export interface RunningService {
  /** Bound OTLP/gRPC port. */
  readonly grpcPort: number;
  /** Bound OTLP/HTTP port; undefined when ENRICHER_OTLP_HTTP_ADDRESS is off. */
  readonly httpPort: number | undefined;
  /** Bound admin HTTP port. */
  readonly adminPort: number;
  /** Base URL of the embedded simulator, when one runs. */
  readonly simulatorUrl: string | undefined;
  /** Demo org ids when the embedded simulator runs, else undefined. */
  demoAgents(): DemoAgents | undefined;
  /** Stops accepting, drains the export queue within the grace period, closes everything. Safe twice. */
  shutdown(): Promise<void>;
}

/**
 * The composition root: builds every component from the frozen Config and
 * wires receiver -> enrichment -> queue -> exporter. Starts downstream-first,
 * shuts down upstream-first.
 */
export async function startService(config: Config, deps: ServiceDeps): Promise<RunningService> {
  const { logger } = deps;
  const { target, simulator } = await resolveGenesysTarget(config.genesys, logger);
  // Before the components, so the global tracer they default to records from their first call.
  const selfTelemetry = startSelfTelemetry(config.selfTelemetry, { logger: logger.child({ component: 'self-telemetry' }) });
  const directory = buildDirectory(target, config.genesys, config.cache, logger, config.breaker);
  // ENRICHER_WARMUP: the whole org preloaded into the cache, so known users never wait for Genesys.
  const warmup = config.warmup.enabled
    ? new DirectoryWarmup({ client: directory.client, cache: directory.resolver, logger, readyTimeoutMs: config.warmup.readyTimeoutMs, refreshMs: config.warmup.refreshMs, cacheMaxEntries: config.cache.maxEntries })
    : undefined;
  const exporter = buildExporter(config.export, config.shutdownGraceMs, logger, deps.debugOutput);
  // One processor and hand-off tap per receiver, so accepted/refused spans carry the receiver's transport.
  const codec = new WireTraceCodec({ sourceKey: config.enrichment.sourceAttribute, watchedKeys: ALL_ENRICHMENT_KEYS });
  // Enriched requests are written into memory the sending queue gives back once they are sent.
  const outputPool = new BufferPool();
  const enrichInto = (next: TracesConsumer) =>
    new EnrichmentProcessor({
      codec,
      resolver: directory.resolver,
      normalizeId: normalizeUserId,
      next,
      lookupBudgetMs: config.enrichment.lookupBudgetMs,
      logger: logger.child({ component: 'enrich' }),
      outputPool,
    });
  const memory = buildMemoryLimiter(config.limits.memory, logger, deps.readMemory);
  const grpcHandoff = new HandoffTap({ next: exporter });
  const processor = enrichInto(grpcHandoff);
  const httpHandoff = new HandoffTap({ next: exporter });
  const httpProcessor = enrichInto(httpHandoff);
  const security = receiverSecurity(config.receiver, logger);
  const receiver = new OtlpGrpcReceiver({
    address: config.receiver.grpcAddress,
    next: processor,
    maxRecvMessageBytes: config.receiver.maxRecvMessageBytes,
    flowControlWindowBytes: config.receiver.grpcFlowControlWindowBytes,
    credentials: security.grpcCredentials,
    interceptors: security.grpcInterceptors,
    guard: guardOptions(config.limits, memory, grpcHandoff),
    connection: config.limits.connection,
    receiveTimeoutMs: config.limits.transport.receiveTimeoutMs,
    maxConnections: config.limits.transport.maxConnections,
    idleTimeoutMs: config.limits.transport.idleTimeoutMs,
    logger,
  });
  // grpc-js buffers a message whole before any admission: at the hard limit, uploads in progress are cancelled.
  memory?.whenAtHardLimit(() => {
    const cancelled = receiver.cancelReceiving();
    if (cancelled > 0) logger.warn({ cancelled }, 'memory at the hard limit: cancelled OTLP/gRPC requests still being received');
  });
  const httpLimits = { transport: config.limits.transport, guard: guardOptions(config.limits, memory, httpHandoff), memory };
  const httpReceiver = buildHttpReceiver(config.receiver, security, httpProcessor, httpLimits, config.shutdownGraceMs, logger);
  checkDescriptorBudget(config.limits.transport.maxConnections, httpReceiver ? 2 : 1, logger);
  const runtime = new RuntimeMonitor();
  const metrics = buildMetrics({
    receivers: [
      { transport: 'grpc', stats: () => receiver.stats(), spans: () => grpcHandoff.stats(), connections: () => receiver.connectionStats() },
      ...(httpReceiver ? [{ transport: 'http', stats: () => httpReceiver.stats(), spans: () => httpHandoff.stats(), connections: () => httpReceiver.connectionStats() }] : []),
    ],
    exporter,
    exportConfig: config.export,
    processors: [processor, httpProcessor],
    directory,
    memory,
    runtime,
  });
  // Soft-deactivation behind the admin routes: its own rate-limited Genesys client; refreshes the enricher's cache.
  const deactivation = buildDeactivation({ target, genesys: config.genesys, deactivation: config.deactivation, logger, resolver: directory.resolver });
  const adminRuns = new AbortController();
  const health = new HealthRegistry();
  const admin = new AdminServer({
    address: config.admin.address,
    handler: createAdminApp({ health, metrics, logger, token: config.admin.token, deactivation: deactivation.useCase, signal: adminRuns.signal }),
    logger: logger.child({ component: 'admin' }),
  });

  let receiverUp = false;
  let exporterUp = false;
  health.add({ name: 'exporter', ready: () => exporterUp });
  health.add({ name: 'receiver', ready: () => receiverUp });
  if (warmup) health.add({ name: 'directory-warmup', ready: () => warmup.ready() });
  // Not ready while the memory limiter refuses: a load balancer sends new connections elsewhere meanwhile.
  if (memory) health.add({ name: 'memory', ready: () => !memory.refusing() });

  const stopAll = async () => {
    health.markStopping();
    await Promise.all([receiver.shutdown(), httpReceiver?.shutdown()]);
    receiverUp = false;
    await memory?.shutdown();
    const report = await exporter.drainAndStop({ graceMs: config.shutdownGraceMs });
    exporterUp = false;
    if (!report.drained && report.leftOnDisk) logger.warn({ leftBatches: report.leftBatches, leftSpans: report.leftSpans }, 'export queue not drained within the grace period; the rest stays in the persistent queue for the next start');
    else if (!report.drained) logger.error({ leftBatches: report.leftBatches, leftSpans: report.leftSpans }, 'export queue not drained within the grace period');
    await warmup?.close();
    // Runs in flight get the grace period, then are aborted (their journal lets a later run resume).
    const abortRuns = setTimeout(() => adminRuns.abort(new Error('shutting down')), config.shutdownGraceMs);
    await admin.shutdown();
    clearTimeout(abortRuns);
    deactivation.close();
    directory.close();
    await simulator?.close();
    runtime.stop();
    await selfTelemetry.shutdown(); // last: flushes the spans of everything above
  };

  try {
    runtime.start();
    await exporter.start();
    exporterUp = true;
    await memory?.start();
    warmup?.start(); // in the background; /readyz waits for it (with a time limit)
    await receiver.start();
    await httpReceiver?.start();
    receiverUp = true;
    await admin.start();
  } catch (err) {
    await stopAll();
    throw err;
  }
  logger.info(
    {
      otlpGrpc: `${hostOf(config.receiver.grpcAddress)}:${receiver.port}`,
      otlpHttp: httpReceiver ? `${hostOf(config.receiver.httpAddress!)}:${httpReceiver.port}` : 'off',
      tls: security.tls ? (security.tls.clientCa ? 'mtls' : 'tls') : 'off',
      export: config.export.endpoint ?? 'debug (stdout)',
      exportQueue: config.export.queueDir ?? 'memory',
      genesys: config.genesys.mode,
    },
    'genesys-otel-enricher started',
  );

  let stopping: Promise<void> | undefined;
  return {
    grpcPort: receiver.port,
    httpPort: httpReceiver?.port,
    adminPort: admin.port,
    simulatorUrl: simulator?.url,
    demoAgents: () => simulator?.org,
    shutdown: () => (stopping ??= stopAll()),
  };
}

function hostOf(address: string): string {
  return address.slice(0, address.lastIndexOf(':'));
}
