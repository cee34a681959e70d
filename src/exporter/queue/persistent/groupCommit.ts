import type { FileHandle } from 'node:fs/promises';
import type { TraceBatch } from '../../../pipeline/consumer';
import { fsyncDir, writeFully } from './files';
import { PersistedBatch } from './persistedBatch';
import { encodeRecordHeader } from './record';
import { Segment, type SegmentHooks } from './segment';
import type { PrivateFiles } from '../../../util/privateFiles';

interface Pending {
  readonly seq: number;
  readonly batch: TraceBatch;
  readonly resolve: (entry: PersistedBatch) => void;
  readonly reject: (err: unknown) => void;
}

/** What the appender reports, for the store's counters. */
export interface AppendHooks extends SegmentHooks {
  /** A new segment file exists. */
  onSegment(segment: Segment): void;
  /** A group of `records` records, `bytes` bytes in all, is on disk after one fsync. */
  onCommit(records: number, spans: number, bytes: number): void;
}

/**
 * Appends records to the active segment with group commit: while one write +
 * fdatasync is under way, new appends wait and then go together in the next
 * one, so N concurrent requests cost one fsync, not N. An append resolves only
 * once its record is durable. A failed write or sync fails its whole group and
 * seals the segment (after a failed fsync the kernel may have dropped the
 * pages, so the file is not trusted for more); the next group starts a new one.
 */
export class GroupCommitAppender {
  private queue: Pending[] = [];
  private flushing?: Promise<void>;
  private active?: { segment: Segment; handle: FileHandle };

  constructor(
    private readonly dir: string,
    private nextSeq: number,
    /** A segment is sealed once it reaches this size, bytes. */
    private readonly segmentBytes: number,
    private readonly hooks: AppendHooks,
    private readonly files: PrivateFiles,
  ) {}

  /** Resolves once the batch is written and synced; rejects if it could not be. */
  append(batch: TraceBatch): Promise<PersistedBatch> {
    return new Promise((resolve, reject) => {
      this.queue.push({ seq: this.nextSeq++, batch, resolve, reject });
      this.flushing ??= this.flushAll().finally(() => (this.flushing = undefined));
    });
  }

  /** Waits for appends under way, then closes the active segment (it stays for the next start). */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.rollOver();
  }

  private async flushAll(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0);
      try {
        const segment = await this.segmentFor(group[0].seq);
        await this.commit(segment, group);
        segment.live += group.length;
        for (const p of group) p.resolve(new PersistedBatch(p.batch, p.seq, segment));
      } catch (err) {
        await this.rollOver().catch(() => undefined);
        for (const p of group) p.reject(err);
      }
    }
  }

  private async commit(segment: Segment, group: Pending[]): Promise<void> {
    const parts: Buffer[] = [];
    let spans = 0;
    for (const { seq, batch } of group) {
      parts.push(encodeRecordHeader(seq, batch.spanCount, batch.bytes, batch.pending !== undefined), batch.bytes);
      spans += batch.spanCount;
    }
    const bytes = Buffer.concat(parts);
    const handle = this.active!.handle;
    const at = segment.size;
    segment.size += bytes.length;
    try {
      await writeFully(handle, bytes, at);
      await handle.datasync(); // data and size; fdatasync skips only timestamps
    } catch (err) {
      // A write cut short (ENOSPC) grew the file by anything from nothing to all of it: count what is there.
      segment.size = await handle.stat().then((st) => st.size, () => segment.size);
      throw err;
    }
    this.hooks.onCommit(group.length, spans, bytes.length);
  }

  /** The active segment, sealing it and starting another at `seq` once it is full. */
  private async segmentFor(seq: number): Promise<Segment> {
    if (this.active && this.active.segment.size >= this.segmentBytes) await this.rollOver();
    if (this.active) return this.active.segment;
    const segment = new Segment(this.dir, seq, { size: 0, live: 0, sealed: false }, this.hooks, this.files);
    const handle = await this.files.open(segment.logPath, 'readwrite', true);
    try {
      await fsyncDir(this.dir); // the new file's name must survive a crash as well as its contents
    } catch (err) {
      await handle.close();
      throw err;
    }
    this.active = { segment, handle };
    this.hooks.onSegment(segment);
    return segment;
  }

  private async rollOver(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    if (!active) return;
    try {
      await active.handle.close();
    } finally {
      active.segment.seal();
    }
  }
}
