import type { TraceBatch } from '../../../pipeline/consumer';
import type { StoredBatch } from '../store';
import type { Segment } from './segment';

/** A batch held by the disk store: which record of which segment to ack. */
export class PersistedBatch implements StoredBatch {
  constructor(
    public batch: TraceBatch,
    readonly seq: number,
    readonly segment: Segment,
    readonly unfinished = false,
  ) {}
}
