import type { TraceBatch } from '../../../pipeline/consumer';
import type { Logger } from '../../../telemetry/logger';
import { PrivateFiles } from '../../../util/privateFiles';
import type { PersistentQueueStats } from '../stats';
import type { QueueStore, StoredBatch } from '../store';
import { DIR_LOCK_DEFAULTS, lockDir } from './dirLock';
import { type AppendHooks, GroupCommitAppender } from './groupCommit';
import { PersistedBatch } from './persistedBatch';
import { type Recovery, recover } from './recovery';
import type { Segment } from './segment';

/** Options of {@link DiskQueueStore}. */
export interface DiskQueueStoreOptions {
  /**
   * Directory of the segment files; created (0700) if missing. Files are created
   * 0600 and never opened through a symbolic link. One instance per directory,
   * across pid namespaces and hosts sharing it (a queue.lock with a heartbeat enforces it).
   */
  readonly dir: string;
  readonly logger: Logger;
  /** A segment is sealed and a new one started once it reaches this size, bytes. Default 8 MiB. */
  readonly segmentBytes?: number;
  /** A queue.lock whose heartbeat stopped this long ago is taken over, milliseconds. Default 15 000. */
  readonly lockStaleMs?: number;
}

/** Default segment size, bytes. */
export const DISK_STORE_DEFAULTS = Object.freeze({ segmentBytes: 8 * 1024 * 1024, lockStaleMs: DIR_LOCK_DEFAULTS.staleMs });

type Counters = { -readonly [K in Exclude<keyof PersistentQueueStats, 'diskBytes'>]: number };

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
    replayedBatches: 0, replayedSpans: 0, corruptedRecords: 0, truncatedBytes: 0, segments: 0,
  };
  private readonly loggedErrors = new Set<string>();
  private readonly files: PrivateFiles;
  /** Set when another instance took the directory over: nothing more is written. */
  private lockLost = false;
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
    this.files = new PrivateFiles(this.log);
  }

  /** Locks the directory, recovers it and resolves with the batches not yet delivered. */
  async open(): Promise<readonly StoredBatch[]> {
    const { dir } = this.options;
    if (this.appender || this.closing) throw new Error('DiskQueueStore: open only once');
    try {
      await this.files.ensureDir(dir);
      this.unlock = await lockDir(dir, {
        files: this.files,
        logger: this.log,
        staleMs: this.options.lockStaleMs,
        onLost: () => (this.lockLost = true),
      });
    } catch (err) {
      throw new Error(`persistent queue directory ${dir} is not usable: ${messageOf(err)}`);
    }
    const hooks = this.hooks();
    let found: Recovery;
    try {
      found = await recover(dir, hooks, this.files);
    } catch (err) {
      await this.unlock();
      throw new Error(`persistent queue directory ${dir} could not be recovered: ${messageOf(err)}`);
    }
    for (const segment of found.segments) hooks.onSegment(segment);
    this.appender = new GroupCommitAppender(dir, found.nextSeq, this.segmentBytes, hooks, this.files);
    this.report(found);
    return found.entries;
  }

  /** Resolves once the batch is on disk and synced; rejects (with the I/O error) if it could not be. */
  async append(batch: TraceBatch): Promise<StoredBatch> {
    if (!this.appender || this.closing) throw new Error('persistent queue is not open');
    if (this.lockLost) throw new Error('persistent queue: another instance took the directory over');
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
    if (this.lockLost) return; // the files are the new holder's now: a duplicate send at most
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
    // Summed from the segments rather than counted up and down: a write cut short (ENOSPC) changes a size by an unknown amount.
    let diskBytes = 0;
    for (const segment of this.segments) diskBytes += segment.size;
    return { ...this.counters, diskBytes };
  }

  private hooks(): AppendHooks {
    const c = this.counters;
    return {
      onSegment: (segment) => {
        this.segments.add(segment);
        c.segments = this.segments.size;
      },
      onRemoved: (segment) => {
        if (!this.segments.delete(segment)) return;
        c.segments = this.segments.size;
      },
      onCommit: (records, spans, bytes) => {
        c.persistedBatches += records;
        c.persistedSpans += spans;
        c.persistedBytes += bytes;
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
