import http2 from 'node:http2';

/** Counters since construction. */
export interface ReceiveDeadlineStats {
  /** Requests cancelled because their message had not fully arrived in time. */
  readonly cancelled: number;
  /** Requests cancelled mid-message by `cancelReceiving` (the memory limit). */
  readonly cancelledForMemory: number;
}

/**
 * Cancels (RST_STREAM CANCEL) every HTTP/2 stream whose request has not fully
 * arrived within `timeoutMs`, so a client that stops sending mid-message
 * cannot hold the bytes grpc-js buffered for it: the call is dropped and its
 * memory becomes garbage. grpc-js has no such deadline of its own.
 *
 * Cheap on the request path: a weak reference to a new stream is pushed
 * onto the current generation's array (a finished stream stays collectable);
 * a timer (every `timeoutMs / 4`, 250 ms to 1 s) checks
 * only the generation that reached the deadline. A request is thus cancelled
 * between `timeoutMs` and `timeoutMs` plus one tick after its stream opened.
 */
export class ReceiveDeadline {
  readonly #timeoutMs: number;
  readonly #generations: WeakRef<http2.ServerHttp2Stream>[][];
  #timer: NodeJS.Timeout | undefined;
  #cancelled = 0;
  #cancelledForMemory = 0;

  /** `timeoutMs` > 0. */
  constructor(timeoutMs: number) {
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) throw new RangeError(`ReceiveDeadline: timeoutMs must be a positive integer, got ${timeoutMs}`);
    this.#timeoutMs = timeoutMs;
    const tickMs = this.tickMs();
    this.#generations = Array.from({ length: Math.ceil(timeoutMs / tickMs) + 1 }, () => []);
  }

  /** How often the oldest generation is checked, ms. */
  tickMs(): number {
    return Math.min(1000, Math.max(250, Math.floor(this.#timeoutMs / 4)));
  }

  /** Watches the streams of `h2` from now on; starts the timer (unref'd). */
  attach(h2: http2.Http2Server | http2.Http2SecureServer): void {
    // A weak reference: a finished stream (and the request bytes its listeners reach) must be
    // collectable at once, not held until its deadline comes round.
    h2.on('stream', (stream: http2.ServerHttp2Stream) => this.#generations[this.#generations.length - 1].push(new WeakRef(stream)));
    this.#timer ??= setInterval(() => this.#tick(), this.tickMs()).unref();
  }

  /** Stops the timer. Safe twice. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  stats(): ReceiveDeadlineStats {
    return { cancelled: this.#cancelled, cancelledForMemory: this.#cancelledForMemory };
  }

  /**
   * Cancels every stream still receiving its message now, whatever its age:
   * the memory limit was reached and what they hold is the memory to give
   * back. Their clients retry (CANCELLED is retryable in OTLP). Returns how many.
   */
  cancelReceiving(): number {
    let cancelled = 0;
    for (const generation of this.#generations) {
      for (const ref of generation) if (cancelIfReceiving(ref.deref())) cancelled++;
    }
    this.#cancelledForMemory += cancelled;
    return cancelled;
  }

  #tick(): void {
    // The oldest generation opened at least `timeoutMs` ago (generations * tick > timeout).
    const due = this.#generations.shift() ?? [];
    this.#generations.push([]);
    for (const ref of due) if (cancelIfReceiving(ref.deref())) this.#cancelled++;
  }
}

/** Cancels `stream` if its request has not fully arrived; true when it did. */
function cancelIfReceiving(stream: http2.ServerHttp2Stream | undefined): boolean {
  if (!stream || stream.destroyed || stream.closed) return false;
  // remoteClose: the client half-closed, i.e. the whole request arrived.
  if (stream.state?.remoteClose) return false;
  stream.close(http2.constants.NGHTTP2_CANCEL);
  return true;
}
