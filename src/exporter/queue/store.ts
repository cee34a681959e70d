import type { TraceBatch } from '../../pipeline/consumer';
import type { PersistentQueueStats } from './stats';

/** A batch held by a {@link QueueStore} until it is acked. */
export interface StoredBatch {
  /**
   * What is sent. The queue replaces a held batch (stored unfinished) with its
   * finished form; the store keeps what was appended.
   */
  batch: TraceBatch;
  /** True for a batch read back at open that was appended held (`batch.pending`): its bytes are not enriched yet. */
  readonly unfinished?: boolean;
}

/**
 * Where the sending queue keeps the batches it accepted: in memory (lost with
 * the process) or on disk (delivered after a restart). The queue does the
 * sending, retrying and bounding; the store only records what is still owed.
 */
export interface QueueStore {
  /** True when an appended batch survives a crash of the process until it is acked. */
  readonly durable: boolean;
  /** Opens the store; resolves with the batches still owed from a previous run, oldest first. */
  open(): Promise<readonly StoredBatch[]>;
  /**
   * Records a batch; resolves once it is as safe as the store makes it (durable:
   * on disk and synced). A held batch (`batch.pending`) is recorded as unfinished.
   */
  append(batch: TraceBatch): Promise<StoredBatch>;
  /** The batch left the queue for good (sent, or dropped): it is not owed any more. */
  ack(entry: StoredBatch): void;
  /** Closes the store; batches not acked stay owed for the next open. Safe twice and before open. */
  close(): Promise<void>;
  /** Counters of a persistent store; undefined for memory. */
  stats(): PersistentQueueStats | undefined;
}

/** The default store: batches live only in the queue's memory. */
export class MemoryQueueStore implements QueueStore {
  readonly durable = false;

  async open(): Promise<readonly StoredBatch[]> {
    return [];
  }

  append(batch: TraceBatch): Promise<StoredBatch> {
    return Promise.resolve({ batch });
  }

  ack(): void {}

  async close(): Promise<void> {}

  stats(): undefined {
    return undefined;
  }
}
