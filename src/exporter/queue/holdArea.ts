import type { StoredBatch } from './store';

/**
 * The held batches of the sending queue (TraceBatch.pending), oldest first,
 * with their own bound inside the queue's: at most `maxSpans` spans and
 * `maxBytes` bytes wait for Genesys at once, so held batches can never fill
 * the queue and get clients refused because Genesys is slow.
 */
export class HoldArea {
  /** Insertion order is arrival order. */
  readonly #entries = new Map<StoredBatch, { readonly spans: number; readonly bytes: number }>();
  #spans = 0;
  #bytes = 0;

  constructor(
    readonly maxSpans: number,
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get spans(): number {
    return this.#spans;
  }

  get bytes(): number {
    return this.#bytes;
  }

  add(entry: StoredBatch, spans: number, bytes: number): void {
    this.#entries.set(entry, { spans, bytes });
    this.#spans += spans;
    this.#bytes += bytes;
  }

  /** True if the entry was held (and is not any more). */
  delete(entry: StoredBatch): boolean {
    const held = this.#entries.get(entry);
    if (!held) return false;
    this.#entries.delete(entry);
    this.#spans -= held.spans;
    this.#bytes -= held.bytes;
    return true;
  }

  /** The oldest held batch while the hold is over its bounds, else undefined. */
  overflowing(): StoredBatch | undefined {
    if (this.#spans <= this.maxSpans && this.#bytes <= this.maxBytes) return undefined;
    return this.#entries.keys().next().value;
  }

  /** Every held batch, oldest first (a copy: the caller may release them while iterating). */
  all(): StoredBatch[] {
    return [...this.#entries.keys()];
  }
}
