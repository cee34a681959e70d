import type { FileHandle } from 'node:fs/promises';
import type { PrivateFiles } from '../../../util/privateFiles';
import { encodeAcks } from './ackEntry';
import { ackFileName, inDir, segmentFileName, unlinkIfExists, writeFully } from './files';

/**
 * The bookkeeping of one segment file: how many of its records are still to be
 * delivered, and its ack file. Acks are appended without fsync: losing one
 * costs a duplicate send after a crash, never a lost span. Once the segment is
 * sealed (no more appends) and every record is acked, both files are deleted.
 */
export class Segment {
  /** Records written and not yet acked. */
  live: number;
  /** True once no more records will be appended. */
  sealed: boolean;
  /** Bytes of the segment file. */
  size: number;
  private pendingAcks: number[] = [];
  private ackWrites: Promise<void> = Promise.resolve();
  private ackHandle?: FileHandle;
  private removal?: Promise<void>;

  constructor(
    readonly dir: string,
    /** Sequence number of the first record; names the files. */
    readonly base: number,
    init: { size: number; live: number; sealed: boolean },
    private readonly hooks: SegmentHooks,
    /** Opens the ack file (never through a symbolic link, created 0600). */
    private readonly files: PrivateFiles,
  ) {
    this.size = init.size;
    this.live = init.live;
    this.sealed = init.sealed;
  }

  get logPath(): string {
    return inDir(this.dir, segmentFileName(this.base));
  }

  get ackPath(): string {
    return inDir(this.dir, ackFileName(this.base));
  }

  /** True once the files are being (or were) deleted. */
  get removed(): boolean {
    return this.removal !== undefined;
  }

  /** Record `seq` left the queue for good (sent, or dropped). */
  ack(seq: number): void {
    this.live--;
    if (this.live <= 0 && this.sealed) {
      void this.remove();
      return;
    }
    this.pendingAcks.push(seq);
    // Acks arriving while a write is under way go together in the next one.
    if (this.pendingAcks.length === 1) this.ackWrites = this.ackWrites.then(() => this.writeAcks());
  }

  /** No more records will be appended; deletes the files if nothing is left to deliver. */
  seal(): void {
    this.sealed = true;
    if (this.live <= 0) void this.remove();
  }

  /** Deletes both files once pending ack writes are done. Safe twice. */
  remove(): Promise<void> {
    this.removal ??= this.ackWrites.then(async () => {
      try {
        await this.ackHandle?.close();
        this.ackHandle = undefined;
        // Segment first: an ack file without its segment is an orphan, removed at the next start.
        await unlinkIfExists(this.logPath);
        await unlinkIfExists(this.ackPath);
      } catch (err) {
        this.hooks.onError(err, 'could not delete a delivered segment');
      }
      this.hooks.onRemoved(this);
    });
    return this.removal;
  }

  /** Writes pending acks and makes them durable, so a clean restart resends nothing; closes the ack file. */
  async close(): Promise<void> {
    await this.ackWrites;
    if (this.removal) return this.removal;
    const handle = this.ackHandle;
    this.ackHandle = undefined;
    if (!handle) return;
    try {
      await handle.datasync();
    } catch (err) {
      this.hooks.onError(err, 'could not sync an ack file');
    } finally {
      await handle.close();
    }
  }

  private async writeAcks(): Promise<void> {
    const seqs = this.pendingAcks.splice(0);
    if (seqs.length === 0 || this.removal) return;
    try {
      this.ackHandle ??= await this.files.open(this.ackPath, 'append');
      await writeFully(this.ackHandle, encodeAcks(seqs), null);
    } catch (err) {
      this.hooks.onError(err, 'could not record delivered batches (they may be sent again after a restart)');
    }
  }
}

/** What a segment tells its store. */
export interface SegmentHooks {
  /** An I/O problem that costs at most duplicates; the store logs it. */
  onError(err: unknown, what: string): void;
  /** Both files are gone. */
  onRemoved(segment: Segment): void;
}
