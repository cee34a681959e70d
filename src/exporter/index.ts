export { OtlpGrpcExporter, type OtlpGrpcExporterOptions, EXPORTER_DEFAULTS, parseEndpoint } from './otlpgrpc/index';
export { DebugExporter, type DebugExporterOptions, DEBUG_ATTRIBUTES } from './debug/index';
export {
  QueuedExporter,
  type QueuedExporterOptions,
  type RetryOptions,
  type DrainReport,
  type QueueStats,
  type BatchSender,
  type SendResult,
  QUEUE_DEFAULTS,
  type PersistentQueueStats,
  type QueueStore,
  type StoredBatch,
  MemoryQueueStore,
  DiskQueueStore,
  type DiskQueueStoreOptions,
} from './queue/index';
