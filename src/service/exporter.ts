import type { Writable } from 'node:stream';
import type { Config, ExportConfig } from '../config/index';
import { DebugExporter, DiskQueueStore, OtlpGrpcExporter, QueuedExporter, type BatchSender, type QueuedExporterOptions } from '../exporter/index';
import { readCaBundle } from '../receiver/tls/index';
import type { Logger } from '../telemetry/logger';

/** The hold's bounds inside the sending queue (ENRICHER_LOOKUP_HOLD_MAX_*). */
export function holdOptions(config: Config): Pick<QueuedExporterOptions, 'maxHeldSpans' | 'maxHeldBytes'> {
  return { maxHeldSpans: config.enrichment.holdMaxSpans, maxHeldBytes: config.enrichment.holdMaxBytes };
}

/** The export side: the sending queue in front of OTLP/gRPC, or of the debug printer without an endpoint. */
export function buildExporter(
  config: ExportConfig,
  shutdownGraceMs: number,
  logger: Logger,
  debugOutput?: Writable,
  hold?: Pick<QueuedExporterOptions, 'maxHeldSpans' | 'maxHeldBytes' | 'resumeHeld'>,
): QueuedExporter {
  const log = logger;
  let sender: BatchSender;
  if (config.endpoint) {
    sender = new OtlpGrpcExporter({
      endpoint: config.endpoint,
      timeoutMs: config.timeoutMs,
      logger: log,
      rootCerts: config.tlsCaFile === undefined ? undefined : readExportCa(config.tlsCaFile),
      compression: config.compression,
      headers: config.headers,
    });
  } else {
    log.warn(
      'ENRICHER_EXPORT_OTLP_ENDPOINT is not set: enriched spans are PRINTED by the debug exporter, not sent anywhere. ' +
        'Set it (e.g. http://jaeger:4317) to forward them.',
    );
    sender = new DebugExporter({ output: debugOutput });
  }
  return new QueuedExporter({
    sender,
    logger: log,
    maxQueueSpans: config.queueMaxSpans,
    maxQueueBytes: config.queueMaxBytes,
    concurrency: config.concurrency,
    // Clients that outrun a healthy backend are answered at its pace instead of filling the queue.
    backpressureMs: config.backpressureMs,
    retry: {
      initialIntervalMs: config.retryInitialMs,
      maxIntervalMs: config.retryMaxIntervalMs,
      maxElapsedMs: config.retryMaxElapsedMs,
    },
    shutdownGraceMs,
    // ENRICHER_EXPORT_QUEUE_DIR makes the queue persistent: on disk before the client is acknowledged.
    store: config.queueDir ? new DiskQueueStore({ dir: config.queueDir, logger: log, lockStaleMs: config.queueLockStaleMs }) : undefined,
    // Batches held for Genesys look-ups count towards the bounds above; their own bound is part of them.
    ...hold,
  });
}

/** The export CA bundle (checked when the config was built; re-read here, so a file gone since fails loudly). */
function readExportCa(file: string): Buffer {
  const { pem, problem } = readCaBundle(file);
  if (!pem) throw new Error(`ENRICHER_EXPORT_TLS_CA_FILE: ${problem}`);
  return pem;
}
