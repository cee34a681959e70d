export { DiskQueueStore, type DiskQueueStoreOptions, DISK_STORE_DEFAULTS } from './diskQueueStore';
export { crc32 } from './crc32';
export { scanSegment, encodeRecordHeader, RECORD_HEADER_BYTES, type LogRecord, type SegmentScan } from './record';
export { segmentFileName, ackFileName } from './files';
