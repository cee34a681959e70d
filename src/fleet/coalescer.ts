/**
 * Gathers the items asked for within one turn of the event loop and hands
 * them to `run` together (in chunks of at most `maxBatch`), so a burst of
 * cache misses costs one Redis command instead of one per id. `run` answers
 * in the order it was given; if it rejects, every item of that chunk gets
 * `onFailure`.
 */
export class Coalescer<I, O> {
  readonly #run: (items: readonly I[]) => Promise<readonly O[]>;
  readonly #onFailure: O;
  readonly #maxBatch: number;
  #pending: Array<{ item: I; resolve: (o: O) => void }> = [];
  #scheduled = false;

  constructor(run: (items: readonly I[]) => Promise<readonly O[]>, onFailure: O, maxBatch = 500) {
    this.#run = run;
    this.#onFailure = onFailure;
    this.#maxBatch = maxBatch;
  }

  add(item: I): Promise<O> {
    return new Promise<O>((resolve) => {
      this.#pending.push({ item, resolve });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const all = this.#pending;
    this.#pending = [];
    for (let at = 0; at < all.length; at += this.#maxBatch) {
      const chunk = all.slice(at, at + this.#maxBatch);
      this.#run(chunk.map((p) => p.item)).then(
        (outs) => chunk.forEach((p, i) => p.resolve(i < outs.length ? (outs[i] as O) : this.#onFailure)),
        () => chunk.forEach((p) => p.resolve(this.#onFailure)),
      );
    }
  }
}
