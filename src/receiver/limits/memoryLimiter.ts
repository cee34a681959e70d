import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { PipelineError } from '../../errors';
import type { Lifecycle } from '../../pipeline/consumer';
import type { Logger } from '../../telemetry/logger';

const MIB = 1024 * 1024;

export interface MemoryLimiterOptions {
  /**
   * Hard limit on the memory the service can reclaim, bytes: the V8 heap in use
   * plus external memory (Buffers, ArrayBuffers), as the Collector's
   * memory_limiter reads its runtime's heap. Must be > 0.
   */
  readonly limitBytes: number;
  /**
   * Headroom for a spike between two checks, bytes: refusing starts at the soft
   * limit `limitBytes - spikeBytes`. Default 20% of `limitBytes` (as the
   * Collector's memory_limiter).
   */
  readonly spikeBytes?: number;
  /**
   * Backstop on the resident set size, bytes: at or above it requests are
   * refused whatever the heap says (memory outside the heap, fragmentation).
   * RSS is not a decision figure otherwise, because the allocator keeps freed
   * pages: it can stay high for minutes after the memory was released. 0 or
   * unset: no backstop.
   */
  readonly rssLimitBytes?: number;
  /** How often memory is read, ms. Default 1000. */
  readonly checkIntervalMs?: number;
  /** Back-off hint sent with refusals (RetryInfo), ms. Default 1000. */
  readonly retryAfterMs?: number;
  /** Reclaimable memory in use, bytes. Default `heapUsed + external` of `process.memoryUsage()`. */
  readonly readMemory?: () => number;
  /** Resident set size, bytes, for the backstop. Default `process.memoryUsage.rss()`. */
  readonly readRss?: () => number;
  /**
   * Collects garbage. Called on a check above the soft limit (at most every
   * 10 s) and on every check at or above the hard limit, so memory released by
   * requests that went away is seen as released within seconds even when the
   * service is idle. Default `globalThis.gc`, exposed at first use when Node
   * runs without --expose-gc.
   */
  readonly collectGarbage?: () => void;
  readonly logger: Logger;
}

/** Counters and gauges since start. */
export interface MemoryLimiterStats {
  /** True while requests are refused (gauge). */
  readonly refusing: boolean;
  /** Last reading of reclaimable memory (heap + external), bytes (gauge). */
  readonly usedBytes: number;
  /** Last RSS reading, bytes (gauge). */
  readonly rssBytes: number;
  /** Request bytes being received now, counted at once (gauge). */
  readonly incomingBytes: number;
  readonly softLimitBytes: number;
  readonly limitBytes: number;
  /** RSS backstop, bytes; 0 when off. */
  readonly rssLimitBytes: number;
  /** Times memory went from below to at or above the soft limit (or the RSS backstop). */
  readonly episodes: number;
}

// Soft-limit collections at most this often (the Collector's min_gc_interval_when_soft_limited).
const SOFT_GC_INTERVAL_MS = 10_000;

/**
 * The Collector's memory_limiter for the receivers: reads memory every
 * `checkIntervalMs`; from the soft limit on (`limitBytes - spikeBytes`) every
 * new request is refused with a retryable `resource_exhausted` (UNAVAILABLE +
 * RetryInfo on gRPC) until a reading falls below it again. Refusing early
 * keeps the process out of the kernel's OOM killer, so the queue it holds
 * survives the overload.
 *
 * It decides on reclaimable memory (heap + external), not RSS, so refusal ends
 * once the memory is released; RSS counts only past `rssLimitBytes`. Request
 * bytes a receiver is taking in count at once (`chargeIncoming`), between two
 * readings: an upload cannot outgrow the limit unseen.
 */
export class MemoryLimiter implements Lifecycle {
  /** The `reason` label of the requests it refuses (an Admission of RequestGuard). */
  readonly reason = 'memory_limit';
  readonly #limit: number;
  readonly #soft: number;
  readonly #rssLimit: number;
  readonly #intervalMs: number;
  readonly #retryAfterMs: number;
  readonly #read: () => number;
  readonly #readRss: () => number;
  readonly #gc: () => void;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #refusing = false;
  #used = 0;
  #rss = 0;
  #incoming = 0;
  #incomingAtReading = 0;
  #episodes = 0;
  #lastSoftGc = -Infinity;
  readonly #atHardLimit: Array<() => void> = [];

  /** Throws on invalid options, naming each problem. */
  constructor(options: MemoryLimiterOptions) {
    this.#limit = options.limitBytes;
    const spike = options.spikeBytes ?? Math.floor(options.limitBytes * 0.2);
    this.#soft = this.#limit - spike;
    this.#rssLimit = options.rssLimitBytes ?? 0;
    this.#intervalMs = options.checkIntervalMs ?? 1000;
    this.#retryAfterMs = options.retryAfterMs ?? 1000;
    const problems: string[] = [];
    if (!Number.isSafeInteger(this.#limit) || this.#limit <= 0) problems.push(`limitBytes must be a positive integer, got ${this.#limit}`);
    if (!Number.isSafeInteger(spike) || spike < 0 || spike >= this.#limit) problems.push(`spikeBytes must be >= 0 and below limitBytes, got ${spike}`);
    if (!Number.isSafeInteger(this.#rssLimit) || this.#rssLimit < 0) problems.push(`rssLimitBytes must be an integer >= 0, got ${this.#rssLimit}`);
    if (!Number.isSafeInteger(this.#intervalMs) || this.#intervalMs <= 0) problems.push(`checkIntervalMs must be a positive integer, got ${this.#intervalMs}`);
    if (!Number.isFinite(this.#retryAfterMs) || this.#retryAfterMs < 0) problems.push(`retryAfterMs must be >= 0, got ${this.#retryAfterMs}`);
    if (problems.length > 0) throw new RangeError(`MemoryLimiter: invalid options: ${problems.join('; ')}`);
    this.#read = options.readMemory ?? reclaimableMemory;
    this.#readRss = options.readRss ?? (() => process.memoryUsage.rss());
    this.#gc = options.collectGarbage ?? collectGarbage;
    this.#log = options.logger.child({ component: 'memory_limiter' });
  }

  /** Takes a first reading and checks every `checkIntervalMs` until shutdown. Idempotent. */
  async start(): Promise<void> {
    if (this.#timer) return;
    this.check();
    this.#timer = setInterval(() => this.check(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops checking (and refusing). Safe twice and before start. */
  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#refusing = false;
  }

  /** Reads memory now and updates the state; the timer calls this, tests may too. */
  check(): void {
    this.#read_();
    if (this.#used >= this.#limit || (this.#used >= this.#soft && Date.now() - this.#lastSoftGc >= SOFT_GC_INTERVAL_MS)) {
      // Buffers of requests that went away are freed only when collected: collect, then read again.
      this.#lastSoftGc = Date.now();
      this.#gc();
      this.#read_();
    }
    if (this.#used >= this.#limit) for (const listener of this.#atHardLimit) listener();
    const overRss = this.#rssLimit > 0 && this.#rss >= this.#rssLimit;
    const refusing = this.#used >= this.#soft || overRss;
    if (refusing === this.#refusing) return;
    this.#refusing = refusing;
    const facts = { usedMiB: mib(this.#used), softLimitMiB: mib(this.#soft), limitMiB: mib(this.#limit), rssMiB: mib(this.#rss), rssLimitMiB: mib(this.#rssLimit) };
    if (refusing) {
      this.#episodes++;
      const why = overRss && this.#used < this.#soft ? 'resident memory at the RSS backstop' : 'memory above the soft limit';
      this.#log.warn(facts, `${why}: refusing new requests with a retryable status`);
    } else {
      this.#log.info(facts, 'memory back below the soft limit: accepting requests again');
    }
  }

  /**
   * Calls `listener` on every check that still finds memory at or above the
   * hard limit after collecting, e.g. to cancel uploads in progress that the
   * limiter cannot see byte by byte (OTLP/gRPC).
   */
  whenAtHardLimit(listener: () => void): void {
    this.#atHardLimit.push(listener);
  }

  /** True while requests are refused. */
  refusing(): boolean {
    return this.#refusing;
  }

  /** The error to refuse a request with now, or undefined to let it in. */
  refusal(): PipelineError | undefined {
    if (this.#refusing) return this.#error(this.#used);
    // Cheap unless bytes arrived since the last reading (only the OTLP/HTTP receiver charges them).
    if (this.#incoming <= this.#incomingAtReading) return undefined;
    const estimate = this.#estimate();
    return estimate >= this.#soft ? this.#error(estimate) : undefined;
  }

  /**
   * Counts `bytes` of a request being received, at once. Returns the error to
   * cancel that request with when the estimate (last reading plus bytes
   * received since) reaches the hard limit; the caller then releases what it
   * charged.
   */
  chargeIncoming(bytes: number): PipelineError | undefined {
    this.#incoming += bytes;
    const estimate = this.#estimate();
    return estimate >= this.#limit ? this.#error(estimate) : undefined;
  }

  /** Gives back bytes counted with `chargeIncoming` (the request was handed on, answered or cancelled). */
  releaseIncoming(bytes: number): void {
    this.#incoming = Math.max(0, this.#incoming - bytes);
    this.#incomingAtReading = Math.min(this.#incomingAtReading, this.#incoming);
  }

  stats(): MemoryLimiterStats {
    return {
      refusing: this.#refusing,
      usedBytes: this.#used,
      rssBytes: this.#rss,
      incomingBytes: this.#incoming,
      softLimitBytes: this.#soft,
      limitBytes: this.#limit,
      rssLimitBytes: this.#rssLimit,
      episodes: this.#episodes,
    };
  }

  #read_(): void {
    this.#used = this.#read();
    this.#rss = this.#rssLimit > 0 ? this.#readRss() : 0;
    // The reading includes what was received until now; only later bytes are added to it.
    this.#incomingAtReading = this.#incoming;
  }

  #estimate(): number {
    return this.#used + Math.max(0, this.#incoming - this.#incomingAtReading);
  }

  #error(used: number): PipelineError {
    return new PipelineError(
      'resource_exhausted',
      `memory limit reached (${mib(used)} MiB in use, soft limit ${mib(this.#soft)} MiB); retry later`,
      this.#retryAfterMs,
    );
  }
}

/**
 * The limit to use when none is configured: 80% of the container's memory
 * limit (cgroup, `process.constrainedMemory()`), as the Collector's
 * `limit_percentage: 80`; undefined (limiter off) when the process is not
 * constrained below the machine's memory.
 */
export function containerMemoryLimitBytes(constrainedBytes: number | undefined, totalBytes: number): number | undefined {
  if (constrainedBytes === undefined || !(constrainedBytes > 0) || constrainedBytes >= totalBytes) return undefined;
  return Math.floor(constrainedBytes * 0.8);
}

/** The V8 heap in use plus memory outside it (Buffers, ArrayBuffers), bytes: what a collection can give back. */
export function reclaimableMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

function mib(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}

let exposedGc: (() => void) | undefined;

/**
 * A full garbage collection. Node offers `gc()` only with --expose-gc; the
 * flag can be set at run time, and a fresh context then carries the function.
 */
function collectGarbage(): void {
  if (!exposedGc) {
    const global = (globalThis as { gc?: unknown }).gc;
    if (typeof global === 'function') exposedGc = global as () => void;
    else {
      setFlagsFromString('--expose-gc');
      exposedGc = runInNewContext('gc') as () => void;
    }
  }
  exposedGc();
}
