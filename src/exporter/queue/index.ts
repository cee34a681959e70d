export { QueuedExporter, type DrainReport } from './queuedExporter';
export { type QueuedExporterOptions, type RetryOptions, QUEUE_DEFAULTS } from './options';
export type { QueueStats, PersistentQueueStats } from './stats';
export type { BatchSender, SendResult } from './types';
export { type BackoffPolicy, backoffDelayMs } from './backoff';
export { type QueueStore, type StoredBatch, MemoryQueueStore } from './store';
export { DiskQueueStore, type DiskQueueStoreOptions, DISK_STORE_DEFAULTS } from './persistent/index';
