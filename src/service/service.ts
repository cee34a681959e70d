import type { Writable } from 'node:stream';
import { createAdminApp } from '../admin/app';
import type { MetricsSource } from '../admin/metricsRoute';
import type { MetricsRegistry } from '../telemetry/metricsRegistry';
import { HealthRegistry } from '../admin/health';
import { AdminServer } from '../admin/server';
import type { Config } from '../config/index';
import { normalizeUserId, RequestRateLimiter } from '../directory/index';
import { Histogram, HOLD_SECONDS_BUCKETS } from '../telemetry/metricsHistogram';
import type { DemoAgents } from '../demo/traffic';
import { WireTraceCodec } from '../processor/codec/index';
import { ALL_ENRICHMENT_KEYS, EnrichmentProcessor } from '../processor/enrich/index';
import { OtlpGrpcReceiver } from '../receiver/otlpgrpc/index';
import { BufferPool } from '../pipeline/bufferPool';
import type { TraceBatch, TracesConsumer } from '../pipeline/consumer';
import { HandoffTap } from '../receiver/limits/index';
import { buildMemoryLimiter, guardOptions } from './limits';
import { buildMetrics } from './metrics';
import type { Logger } from '../telemetry/logger';
import { startSelfTelemetry } from '../telemetry/selfTelemetry';
import { RuntimeMonitor } from '../telemetry/runtimeMonitor';
import { DirectoryWarmup } from '../directory/warmup/index';
import type { WarmupTarget } from '../directory/warmup/directoryWarmup';
import { buildDeactivation } from './deactivation';
import { buildDirectory } from './directory';
import { buildFleet, fleetLimiter } from './fleet';
import { buildExporter, holdOptions } from './exporter';
import { resolveGenesysTarget } from './genesysTarget';
import { buildHttpReceiver, checkDescriptorBudget, receiverSecurity } from './receivers';
import { listenAs } from './listenErrors';

export interface ServiceDeps {
  logger: Logger;
  /** Where the debug exporter prints; default stdout. */
  debugOutput?: Writable;
  /** What the memory limiter reads, bytes; default the process's heap in use plus external memory. For tests. */
  readMemory?: () => number;
  /** What `/metrics` serves, given this process's registry; default the registry itself (a cluster worker serves all workers'). */
  metricsSource?: (local: MetricsRegistry) => MetricsSource;
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
  /** The embedded simulator's name for a user id, for the start-up banner. */
  demoUserName(userId: string): string | undefined;
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
  // ENRICHER_REDIS_URL: a fleet sharing the directory, changed users and the Genesys budget through Redis.
  const fleet = buildFleet(config.fleet, config.cache, logger);
  // One Genesys budget for the process: look-ups, warm-up and deactivation runs all take their turns from it
  // (in a fleet with ENRICHER_FLEET_GENESYS_MAX_RPM, under the fleet-wide ceiling too).
  const localBudget = new RequestRateLimiter({ ratePerMinute: config.genesys.maxRequestsPerMinute });
  const genesysBudget = fleetLimiter(localBudget, fleet);
  const directory = buildDirectory(target, config.genesys, config.cache, logger, config.breaker, genesysBudget, fleet);
  // ENRICHER_WARMUP: the whole org preloaded into the cache, so known users never wait for Genesys.
  const warmupInto = (cache: WarmupTarget) =>
    new DirectoryWarmup({ client: directory.client, cache, logger, readyTimeoutMs: config.warmup.readyTimeoutMs, refreshMs: config.warmup.refreshMs, cacheMaxEntries: config.cache.maxEntries });
  // In a fleet, one replica (holding a lease in Redis) warms up for all, into Redis.
  const warmup = config.warmup.enabled ? (fleet ? fleet.warmupOnce(directory.resolver, warmupInto) : warmupInto(directory.resolver)) : undefined;
  // A batch held when the process stopped is read back from the persistent queue and enriched again (held if need be).
  let resumeHeld: (bytes: Buffer) => TraceBatch = (bytes) => ({ bytes, spanCount: 0 });
  const exporter = buildExporter(config.export, config.shutdownGraceMs, logger, deps.debugOutput, { ...holdOptions(config), resumeHeld: (bytes) => resumeHeld(bytes) });
  // One processor and hand-off tap per receiver, so accepted/refused spans carry the receiver's transport.
  const codec = new WireTraceCodec({ sourceKey: config.enrichment.sourceAttribute, watchedKeys: ALL_ENRICHMENT_KEYS });
  // How long batches waited for Genesys past the budget (both processors observe into it).
  const holdDuration = new Histogram(HOLD_SECONDS_BUCKETS);
  // Enriched requests are written into memory the sending queue gives back once they are sent.
  const outputPool = new BufferPool();
  const enrichInto = (next: TracesConsumer) =>
    new EnrichmentProcessor({
      codec,
      resolver: directory.resolver,
      normalizeId: normalizeUserId,
      next,
      lookupBudgetMs: config.enrichment.lookupBudgetMs,
      lookupHoldMs: config.enrichment.lookupHoldMs,
      // Holding is for a slow or throttled Genesys, not for one known to be down.
      genesysDown: () => directory.breaker.state() === 'open',
      holdDuration,
      logger: logger.child({ component: 'enrich' }),
      outputPool,
    });
  const memory = buildMemoryLimiter(config.limits.memory, logger, deps.readMemory);
  const grpcHandoff = new HandoffTap({ next: exporter });
  const processor = enrichInto(grpcHandoff);
  const httpHandoff = new HandoffTap({ next: exporter });
  const httpProcessor = enrichInto(httpHandoff);
  resumeHeld = (bytes) => processor.resume(bytes);
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
    holdDuration,
    genesysBudget: localBudget,
  });
  fleet?.declareMetrics(metrics);
  // Soft-deactivation behind the admin routes: its own rate-limited Genesys client; refreshes the enricher's cache.
  const deactivation = buildDeactivation({
    target,
    genesys: config.genesys,
    deactivation: config.deactivation,
    logger,
    resolver: fleet ? fleet.sharedCache(directory.resolver) : directory.resolver,
    fleet,
    limiter: genesysBudget,
  });
  const adminRuns = new AbortController();
  const health = new HealthRegistry();
  const admin = new AdminServer({
    address: config.admin.address,
    handler: createAdminApp({ health, metrics: deps.metricsSource ? deps.metricsSource(metrics) : metrics, logger, token: config.admin.token, deactivation: deactivation.useCase, signal: adminRuns.signal }),
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
    await fleet?.close();
    await simulator?.close();
    runtime.stop();
    await selfTelemetry.shutdown(); // last: flushes the spans of everything above
  };

  try {
    runtime.start();
    fleet?.start(); // connects in the background: Redis never holds the start up
    await exporter.start();
    exporterUp = true;
    await memory?.start();
    warmup?.start(); // in the background; /readyz waits for it (with a time limit)
    // A port taken or not allowed is a configuration problem: the error names the setting to change.
    await listenAs('ENRICHER_OTLP_GRPC_ADDRESS (receivers.otlp.grpc.address)', config.receiver.grpcAddress, () => receiver.start());
    if (httpReceiver) await listenAs('ENRICHER_OTLP_HTTP_ADDRESS (receivers.otlp.http.address)', config.receiver.httpAddress!, () => httpReceiver.start());
    receiverUp = true;
    await listenAs('ENRICHER_ADMIN_ADDRESS (admin.address)', config.admin.address, () => admin.start());
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
      redis: fleet?.where ?? 'off',
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
    demoUserName: (userId) => simulator?.getUser(userId)?.name,
    shutdown: () => (stopping ??= stopAll()),
  };
}

function hostOf(address: string): string {
  return address.slice(0, address.lastIndexOf(':'));
}
