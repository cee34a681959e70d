export { QueuedExporter, type DrainReport } from './queuedExporter';
export { type QueuedExporterOptions, type RetryOptions, QUEUE_DEFAULTS } from './options';
export type { QueueStats } from './stats';
export type { BatchSender, SendResult } from './types';
export { type BackoffPolicy, backoffDelayMs } from './backoff';
