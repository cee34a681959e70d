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
import type { Logger } from '../telemetry/logger';
import { buildDirectory } from './directory';
import { buildExporter } from './exporter';
import { resolveGenesysTarget } from './genesysTarget';

export interface ServiceDeps {
  logger: Logger;
  /** Where the debug exporter prints; default stdout. */
  debugOutput?: Writable;
}

/** A started service. */
export interface RunningService {
  /** Bound OTLP/gRPC port. */
  readonly grpcPort: number;
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
  const directory = buildDirectory(target, config.genesys, config.cache, logger);
  const exporter = buildExporter(config.export, config.shutdownGraceMs, logger, deps.debugOutput);
  const processor = new EnrichmentProcessor({
    codec: new WireTraceCodec({ sourceKey: config.enrichment.sourceAttribute, watchedKeys: ALL_ENRICHMENT_KEYS }),
    resolver: directory.resolver,
    normalizeId: normalizeUserId,
    next: exporter,
    lookupBudgetMs: config.enrichment.lookupBudgetMs,
    logger: logger.child({ component: 'enrich' }),
  });
  const receiver = new OtlpGrpcReceiver({
    address: config.receiver.grpcAddress,
    next: processor,
    maxRecvMessageBytes: config.receiver.maxRecvMessageBytes,
    logger,
  });
  const health = new HealthRegistry();
  const admin = new AdminServer({
    address: config.admin.address,
    handler: createAdminApp({ health }),
    logger: logger.child({ component: 'admin' }),
  });

  let receiverUp = false;
  let exporterUp = false;
  health.add({ name: 'exporter', ready: () => exporterUp });
  health.add({ name: 'receiver', ready: () => receiverUp });

  const stopAll = async () => {
    health.markStopping();
    await receiver.shutdown();
    receiverUp = false;
    const report = await exporter.drainAndStop({ graceMs: config.shutdownGraceMs });
    exporterUp = false;
    if (!report.drained) logger.error({ leftBatches: report.leftBatches, leftSpans: report.leftSpans }, 'export queue not drained within the grace period');
    directory.close();
    await admin.shutdown();
    await simulator?.close();
  };

  try {
    await exporter.start();
    exporterUp = true;
    await receiver.start();
    receiverUp = true;
    await admin.start();
  } catch (err) {
    await stopAll();
    throw err;
  }
  logger.info(
    { otlpGrpc: `${hostOf(config.receiver.grpcAddress)}:${receiver.port}`, export: config.export.endpoint ?? 'debug (stdout)', genesys: config.genesys.mode },
    'genesys-otel-enricher started',
  );

  let stopping: Promise<void> | undefined;
  return {
    grpcPort: receiver.port,
    adminPort: admin.port,
    simulatorUrl: simulator?.url,
    demoAgents: () => simulator?.org,
    shutdown: () => (stopping ??= stopAll()),
  };
}

function hostOf(address: string): string {
  return address.slice(0, address.lastIndexOf(':'));
}
