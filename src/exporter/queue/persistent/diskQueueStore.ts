import { mkdir } from 'node:fs/promises';
import type { TraceBatch } from '../../../pipeline/consumer';
import type { Logger } from '../../../telemetry/logger';
import type { PersistentQueueStats } from '../stats';
import type { QueueStore, StoredBatch } from '../store';
import { lockDir } from './dirLock';
import { type AppendHooks, GroupCommitAppender } from './groupCommit';
import { PersistedBatch } from './persistedBatch';
import { type Recovery, recover } from './recovery';
import type { Segment } from './segment';

/** Options of {@link DiskQueueStore}. */
export interface DiskQueueStoreOptions {
  /** Directory of the segment files; created if missing. One process per directory (a queue.lock file enforces it). */
  readonly dir: string;
  readonly logger: Logger;
  /** A segment is sealed and a new one started once it reaches this size, bytes. Default 8 MiB. */
  readonly segmentBytes?: number;
}

/** Default segment size, bytes. */
export const DISK_STORE_DEFAULTS = Object.freeze({ segmentBytes: 8 * 1024 * 1024 });

type Counters = { -readonly [K in keyof PersistentQueueStats]: number };

/**
 * The persistent queue's store: a write-ahead log of the accepted batches in
 * append-only segment files (length-prefixed, CRC-32-checked records; see
 * record.ts), with a per-segment ack file of what left the queue. `append`
 * resolves after the record is fsync'd, with concurrent appends sharing one
 * fsync; `open` replays what was not acked, oldest first. Delivery is at least
 * once: a crash between a send and its ack sends that batch again.
 */
export class DiskQueueStore implements QueueStore {
  readonly durable = true;
  private readonly log: Logger;
  private readonly segmentBytes: number;
  private readonly segments = new Set<Segment>();
  private readonly counters: Counters = {
    persistedBatches: 0, persistedSpans: 0, persistedBytes: 0, syncs: 0, writeFailures: 0,
    replayedBatches: 0, replayedSpans: 0, corruptedRecords: 0, truncatedBytes: 0, segments: 0, diskBytes: 0,
  };
  private readonly loggedErrors = new Set<string>();
  private appender?: GroupCommitAppender;
  private unlock?: () => Promise<void>;
  private closing?: Promise<void>;

  /** Throws if an option is invalid. */
  constructor(private readonly options: DiskQueueStoreOptions) {
    this.segmentBytes = options.segmentBytes ?? DISK_STORE_DEFAULTS.segmentBytes;
    if (typeof options.dir !== 'string' || options.dir === '') throw new Error('DiskQueueStore: dir is required');
    if (!Number.isSafeInteger(this.segmentBytes) || this.segmentBytes <= 0) {
      throw new Error(`DiskQueueStore: segmentBytes must be a positive integer, got ${this.segmentBytes}`);
    }
    this.log = options.logger.child({ component: 'exporter/queue/persistent', dir: options.dir });
  }

  /** Locks the directory, recovers it and resolves with the batches not yet delivered. */
  async open(): Promise<readonly StoredBatch[]> {
    const { dir } = this.options;
    if (this.appender || this.closing) throw new Error('DiskQueueStore: open only once');
    try {
      await mkdir(dir, { recursive: true });
      this.unlock = await lockDir(dir);
    } catch (err) {
      throw new Error(`persistent queue directory ${dir} is not usable: ${messageOf(err)}`);
    }
    const hooks = this.hooks();
    let found: Recovery;
    try {
      found = await recover(dir, hooks);
    } catch (err) {
      await this.unlock();
      throw new Error(`persistent queue directory ${dir} could not be recovered: ${messageOf(err)}`);
    }
    for (const segment of found.segments) hooks.onSegment(segment);
    this.appender = new GroupCommitAppender(dir, found.nextSeq, this.segmentBytes, hooks);
    this.report(found);
    return found.entries;
  }

  /** Resolves once the batch is on disk and synced; rejects (with the I/O error) if it could not be. */
  async append(batch: TraceBatch): Promise<StoredBatch> {
    if (!this.appender || this.closing) throw new Error('persistent queue is not open');
    try {
      return await this.appender.append(batch);
    } catch (err) {
      this.counters.writeFailures++;
      this.logOnce('write', { err }, 'could not write to the persistent queue; refusing requests until writes succeed');
      throw err;
    }
  }

  ack(entry: StoredBatch): void {
    if (!(entry instanceof PersistedBatch)) throw new Error('DiskQueueStore: ack of a batch it does not hold');
    entry.segment.ack(entry.seq);
  }

  /** Finishes writes and acks (synced, so a clean restart resends nothing delivered); unacked records stay. Safe twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.appender?.close();
      await Promise.all([...this.segments].map((s) => s.close()));
      await this.unlock?.();
    })();
    return this.closing;
  }

  stats(): PersistentQueueStats {
    return { ...this.counters };
  }

  private hooks(): AppendHooks {
    const c = this.counters;
    return {
      onSegment: (segment) => {
        this.segments.add(segment);
        c.segments = this.segments.size;
        c.diskBytes += segment.size;
      },
      onRemoved: (segment) => {
        if (!this.segments.delete(segment)) return;
        c.segments = this.segments.size;
        c.diskBytes -= segment.size;
      },
      onCommit: (records, spans, bytes) => {
        c.persistedBatches += records;
        c.persistedSpans += spans;
        c.persistedBytes += bytes;
        c.diskBytes += bytes;
        c.syncs++;
        this.loggedErrors.delete('write'); // writes work again: log the next failure too
      },
      onError: (err, what) => this.logOnce(what, { err }, `persistent queue: ${what}`),
    };
  }

  private report(found: Recovery): void {
    const c = this.counters;
    c.replayedBatches = found.entries.length;
    c.replayedSpans = found.entries.reduce((n, e) => n + e.batch.spanCount, 0);
    c.corruptedRecords = found.corruptedRecords;
    c.truncatedBytes = found.truncatedBytes;
    const damage = { corruptedRecords: found.corruptedRecords, corruptedAcks: found.corruptedAcks, truncatedBytes: found.truncatedBytes };
    if (damage.corruptedRecords > 0) {
      this.log.error(damage, 'persistent queue: skipped records whose checksum did not match; their spans are lost');
    } else if (damage.truncatedBytes > 0 || damage.corruptedAcks > 0) {
      this.log.warn(damage, 'persistent queue: cut off a torn last write (never acknowledged) or ignored damaged acks');
    }
    this.log.info(
      { replayedBatches: c.replayedBatches, replayedSpans: c.replayedSpans, segments: c.segments, deliveredSegmentsRemoved: found.deliveredSegments },
      c.replayedBatches > 0 ? 'persistent queue opened: re-sending batches left undelivered by the last run' : 'persistent queue opened',
    );
  }

  /** Logs the first of a kind of failure; repeats would flood the log (it is counted in stats instead). */
  private logOnce(kind: string, fields: Record<string, unknown>, msg: string): void {
    if (this.loggedErrors.has(kind)) return;
    this.loggedErrors.add(kind);
    this.log.error(fields, msg);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
