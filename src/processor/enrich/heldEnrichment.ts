import type { Resolution } from '../../directory/types';
import type { HoldRelease, PendingEnrichment, TraceBatch } from '../../pipeline/consumer';
import { withinBudget } from './waitFor';
import type { UnresolvedCause } from './stats';
import { sleep, untilAborted } from '../../util/abortable';

/** Why a held batch stopped waiting by itself. */
export type HoldEnd = 'resolved' | 'hold_expired' | 'breaker_open';

/** What a held batch needs from the processor that made it. */
export interface HoldContext {
  /** Looks the ids up again (the directory coalesces with look-ups in flight). Never rejects. */
  resolve(ids: readonly string[]): Promise<ReadonlyMap<string, Resolution>>;
  /** True while Genesys is known to be unreachable (the circuit breaker refuses calls). */
  genesysDown(): boolean;
  /** Most ids looked up at a time for one batch; the next ones once these are answered. */
  readonly maxLookups: number;
  /**
   * Enriches `bytes` with `answers` (source value -> resolution; values absent
   * are marked failed) and counts the outcome; `cause` says why spans are
   * still unresolved.
   */
  complete(bytes: Buffer, answers: ReadonlyMap<string, Resolution>, cause: UnresolvedCause | undefined, heldMs: number): TraceBatch;
  now(): number;
}

/** First wait between look-ups of a held batch that came back failed, ms; doubles up to {@link MAX_RETRY_MS}. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/**
 * One batch held for its directory look-ups. It keeps looking up the ids still
 * unanswered until each is found or not_found, the hold time runs out, or
 * Genesys is known to be down; the Genesys client meanwhile waits out 429s
 * (the shared rate limiter pauses for Retry-After), renews tokens and retries
 * 5xx. Held batches waiting for the same user share its look-up (the cache
 * coalesces them). `finish` enriches the held bytes with what is known then.
 */
export class HeldEnrichment implements PendingEnrichment {
  readonly settled: Promise<void>;
  readonly #context: HoldContext;
  readonly #bytes: Buffer;
  /** Source value -> id, for the values not answered yet. */
  readonly #missing: Map<string, string>;
  /** Source value -> definite answer (found or not_found). */
  readonly #answers = new Map<string, Resolution>();
  readonly #heldAt: number;
  readonly #deadline: number;
  readonly #stop = new AbortController();
  #end: HoldEnd | undefined;
  #finished = false;

  /**
   * `missing`: source value -> normalised id of each value still waiting;
   * `answers`: definite answers already known; `inFlight`: the look-up already
   * started for the missing ids, awaited first.
   */
  constructor(options: {
    readonly context: HoldContext;
    readonly bytes: Buffer;
    readonly missing: ReadonlyMap<string, string>;
    readonly answers: ReadonlyMap<string, Resolution>;
    readonly inFlight: Promise<ReadonlyMap<string, Resolution>>;
    readonly holdMs: number;
  }) {
    this.#context = options.context;
    this.#bytes = options.bytes;
    this.#missing = new Map(options.missing);
    for (const [value, answer] of options.answers) this.#answers.set(value, answer);
    this.#heldAt = this.#context.now();
    this.#deadline = this.#heldAt + options.holdMs;
    this.settled = this.#wait(options.inFlight).then((end) => {
      this.#end = end;
    });
  }

  finish(why: HoldRelease): TraceBatch {
    if (this.#finished) throw new Error('HeldEnrichment: finish called twice');
    this.#finished = true;
    this.#stop.abort();
    return this.#context.complete(this.#bytes, this.#answers, this.#causeOfMissing(why), this.#context.now() - this.#heldAt);
  }

  /** Why the spans still missing leave unresolved: what ended the hold early, or how the wait ended. */
  #causeOfMissing(why: HoldRelease): UnresolvedCause | undefined {
    if (this.#missing.size === 0) return undefined;
    if (why !== 'settled') return why;
    return this.#end === 'resolved' ? undefined : (this.#end ?? 'hold_expired');
  }

  /** Stops looking up without producing a batch (the batch stays owed elsewhere, e.g. on disk). */
  abandon(): void {
    this.#finished = true;
    this.#stop.abort();
  }

  async #wait(first: Promise<ReadonlyMap<string, Resolution>>): Promise<HoldEnd> {
    let lookups = first;
    for (let retry = 0; ; retry++) {
      const remaining = this.#deadline - this.#context.now();
      if (remaining <= 0) return 'hold_expired';
      // Never rejects: the directory's resolve does not, and finish() stopping the wait answers undefined.
      const answered = await untilAborted(withinBudget(lookups, remaining), this.#stop.signal, () => undefined);
      if (this.#stop.signal.aborted) return 'hold_expired';
      const failed = answered ? this.#record(answered) : 0;
      if (this.#missing.size === 0) return 'resolved';
      if (this.#context.genesysDown()) return 'breaker_open';
      if (!answered) return 'hold_expired';
      if (failed === 0) {
        // Every id asked was answered: the next slice of a request with more misses than one look-up takes.
        lookups = this.#context.resolve(this.#nextIds());
        retry = -1;
        continue;
      }
      // Some came back failed (throttled past the client's budget, 5xx, queue full): ask again.
      const pause = Math.min(FIRST_RETRY_MS * 2 ** retry, MAX_RETRY_MS, this.#deadline - this.#context.now());
      if (pause > 0 && !(await sleep(pause, this.#stop.signal))) return 'hold_expired';
      if (this.#context.genesysDown()) return 'breaker_open';
      lookups = this.#context.resolve(this.#nextIds());
    }
  }

  /** The distinct ids still missing, at most maxLookups of them. */
  #nextIds(): string[] {
    const ids = new Set<string>();
    for (const id of this.#missing.values()) {
      ids.add(id);
      if (ids.size >= this.#context.maxLookups) break;
    }
    return [...ids];
  }

  /** Keeps the definite answers (keyed by id from the look-up) for the values that wait for them; returns how many came back failed. */
  #record(byId: ReadonlyMap<string, Resolution>): number {
    let failed = 0;
    for (const [value, id] of this.#missing) {
      const answer = byId.get(id);
      if (answer === undefined) continue; // not asked this time
      if (answer.status === 'failed') {
        failed++;
        continue;
      }
      this.#answers.set(value, answer);
      this.#missing.delete(value);
    }
    return failed;
  }
}
