import { PipelineError, toPipelineError, type ErrorCode } from '../../errors';

/** A reason to turn requests away before any work is done, e.g. the memory limiter. */
export interface Admission {
  /** The `reason` label of the requests it refuses, e.g. `memory_limit`. */
  readonly reason: string;
  /** The error to refuse a request with now, or undefined to let it in. Must be cheap. */
  refusal(): PipelineError | undefined;
}

/** A request's place under the concurrency cap; `release()` is idempotent. */
export interface Slot {
  release(): void;
}

/** Hand-offs to the sending queue in progress (a HandoffTap). */
export interface HandoffWatch {
  /** Settles once the hand-offs in progress now have settled; never rejects. */
  settled(): Promise<void>;
}

export interface RequestGuardOptions {
  /** Requests processed at once; further ones are refused (UNAVAILABLE + RetryInfo). 0: no cap. Default 256. */
  readonly maxConcurrentRequests?: number;
  /**
   * Longest a request may take until its batch is handed to the sending queue,
   * ms; then it is answered DEADLINE_EXCEEDED (the client retries). 0: no
   * deadline. Default 30,000.
   */
  readonly requestTimeoutMs?: number;
  /** Checked in order before each request. Default none. */
  readonly admissions?: readonly Admission[];
  /** Lets the deadline spare a request whose batch is being handed over when it passes. */
  readonly handoffs?: HandoffWatch;
  /** Back-off hint sent with concurrency refusals, ms. Default 1000. */
  readonly retryAfterMs?: number;
}

/** Counters since construction. */
export interface RequestGuardStats {
  /** Requests being processed (gauge); a request past its deadline counts until its work settles. */
  readonly inFlight: number;
  /** Requests answered OK. */
  readonly accepted: number;
  /**
   * Requests refused, by reason: an admission's reason (`memory_limit`),
   * `concurrency_limit`, `deadline_exceeded`, or the pipeline error code of
   * the refusal (`invalid_argument` for malformed data, `resource_exhausted`
   * for a full queue, `shutting_down`, `unavailable`, `internal`).
   */
  readonly refused: Readonly<Record<string, number>>;
}

export const REQUEST_GUARD_DEFAULTS = Object.freeze({ maxConcurrentRequests: 256, requestTimeoutMs: 30_000, retryAfterMs: 1_000 });

/**
 * What every receiver does around handing a request to the pipeline,
 * whatever its transport: admission (memory), a cap on concurrent requests,
 * a processing deadline, and counting requests by outcome.
 *
 * The deadline stops the wait, not the work (stages take no cancel signal):
 * a request still in the processor when it passes is answered
 * DEADLINE_EXCEEDED and, should its batch reach the queue later, delivered
 * anyway: the client's retry may then duplicate it, never lose it. A batch
 * being handed to the queue when the deadline passes is waited for (at most
 * another deadline): once the queue takes it, it is accepted and answered so.
 */
export class RequestGuard {
  readonly #max: number;
  readonly #timeoutMs: number;
  readonly #admissions: readonly Admission[];
  readonly #handoffs: HandoffWatch | undefined;
  readonly #retryAfterMs: number;
  readonly #refused: Record<string, number> = {};
  #inFlight = 0;
  #accepted = 0;

  /** Throws on invalid options, naming each problem. */
  constructor(options: RequestGuardOptions = {}) {
    const d = REQUEST_GUARD_DEFAULTS;
    this.#max = options.maxConcurrentRequests ?? d.maxConcurrentRequests;
    this.#timeoutMs = options.requestTimeoutMs ?? d.requestTimeoutMs;
    this.#retryAfterMs = options.retryAfterMs ?? d.retryAfterMs;
    this.#admissions = [...(options.admissions ?? [])];
    this.#handoffs = options.handoffs;
    const problems: string[] = [];
    if (!Number.isSafeInteger(this.#max) || this.#max < 0) problems.push(`maxConcurrentRequests must be an integer >= 0, got ${this.#max}`);
    if (!Number.isSafeInteger(this.#timeoutMs) || this.#timeoutMs < 0) problems.push(`requestTimeoutMs must be an integer >= 0, got ${this.#timeoutMs}`);
    if (!Number.isFinite(this.#retryAfterMs) || this.#retryAfterMs < 0) problems.push(`retryAfterMs must be >= 0, got ${this.#retryAfterMs}`);
    if (problems.length > 0) throw new RangeError(`RequestGuard: invalid options: ${problems.join('; ')}`);
  }

  /**
   * Runs `work` (hand the request to the next stage) under the guard, in
   * `slot` when the request was admitted already (see `admit`), else admitting
   * it now. Resolves when it succeeded; rejects with the PipelineError to
   * answer with. Never lets a synchronous throw of `work` escape.
   */
  async run(work: () => Promise<void>, slot?: Slot): Promise<void> {
    // Without a slot (the gRPC path, per request) admission stays inline: no slot object is made.
    if (!slot) {
      const refusal = this.#admit();
      if (refusal) throw refusal;
      this.#inFlight++;
    }
    const done = Promise.resolve()
      .then(work)
      .finally(() => (slot ? slot.release() : this.#inFlight--));
    try {
      await this.#withinDeadline(done);
      this.#accepted++;
    } catch (err) {
      const error = toPipelineError(err);
      this.#count(REFUSAL_REASON[error.code] ?? error.code);
      throw error;
    }
  }

  /**
   * Admits one request (admissions, then the concurrency cap) and holds its
   * place until the slot is released or passed to `run`; throws the refusal
   * (counted). For a receiver that must admit before it reads the body.
   */
  admit(): Slot {
    const refusal = this.#admit();
    if (refusal) throw refusal;
    this.#inFlight++;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.#inFlight--;
      },
    };
  }

  /** Counts a request refused before `run` (e.g. its body could not be read), by reason. */
  countRefused(reason: string): void {
    this.#count(reason);
  }

  stats(): RequestGuardStats {
    return { inFlight: this.#inFlight, accepted: this.#accepted, refused: { ...this.#refused } };
  }

  #admit(): PipelineError | undefined {
    for (const admission of this.#admissions) {
      const refusal = admission.refusal();
      if (refusal) return this.#count(admission.reason, refusal);
    }
    if (this.#max > 0 && this.#inFlight >= this.#max) {
      const error = new PipelineError('resource_exhausted', `too many concurrent requests (limit ${this.#max}); retry later`, this.#retryAfterMs);
      return this.#count('concurrency_limit', error);
    }
    return undefined;
  }

  async #withinDeadline(done: Promise<void>): Promise<void> {
    if (this.#timeoutMs === 0) return done;
    if (await settlesWithin(done, this.#timeoutMs)) return;
    // The deadline passed. Were this request's batch being handed to the queue
    // right now, the queue's answer decides: wait for the hand-offs under way.
    if (this.#handoffs) {
      const handedOver = this.#handoffs.settled().then(nextMacrotask);
      if (await settlesWithin(done, this.#timeoutMs, handedOver)) return;
    }
    throw new PipelineError('deadline_exceeded', `request not processed within ${this.#timeoutMs} ms; retry`);
  }

  #count<E>(reason: string, error?: E): E | undefined {
    this.#refused[reason] = (this.#refused[reason] ?? 0) + 1;
    return error;
  }
}

/**
 * The `reason` label of a refusal from further down the pipeline, where the
 * error code alone would mislead: a full sending queue answers UNAVAILABLE on
 * the wire (429 over HTTP), so labelling it `resource_exhausted` suggested the
 * gRPC status it does not send.
 */
const REFUSAL_REASON: Partial<Record<ErrorCode, string>> = { resource_exhausted: 'queue_full' };

/**
 * True when `work` fulfils within `ms` (and before `alsoStop` settles, if
 * given); false when time (or `alsoStop`) comes first; rejects as `work` does.
 */
async function settlesWithin(work: Promise<void>, ms: number, alsoStop?: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    // Unref'd: a deadline alone must not keep a stopped server's process alive.
    timer = setTimeout(resolve, ms, false).unref();
  });
  const stops: Promise<boolean>[] = [work.then(() => true), late];
  if (alsoStop) stops.push(alsoStop.then(() => false));
  try {
    return await Promise.race(stops);
  } finally {
    clearTimeout(timer);
  }
}

// Lets the promise reactions of a hand-off that just settled reach the request first.
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
