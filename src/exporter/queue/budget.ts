/** Whether a batch fits the queue now, later, or never. */
export type Fit = 'fits' | 'full' | 'never';

/**
 * Capacity of the sending queue in spans and bytes. A batch holds its share
 * from being queued until it is sent or dropped, so batches being sent or
 * waiting to retry count too: the bound is on memory held, not on the backlog.
 */
export class QueueBudget {
  private usedSpans = 0;
  private usedBytes = 0;

  constructor(
    readonly maxSpans: number,
    readonly maxBytes: number,
  ) {}

  get spans(): number {
    return this.usedSpans;
  }

  get bytes(): number {
    return this.usedBytes;
  }

  fit(spans: number, bytes: number): Fit {
    if (spans > this.maxSpans || bytes > this.maxBytes) return 'never';
    if (this.usedSpans + spans > this.maxSpans || this.usedBytes + bytes > this.maxBytes) return 'full';
    return 'fits';
  }

  reserve(spans: number, bytes: number): void {
    this.usedSpans += spans;
    this.usedBytes += bytes;
  }

  release(spans: number, bytes: number): void {
    this.usedSpans -= spans;
    this.usedBytes -= bytes;
  }
}
