import { PipelineError } from '../../errors';
import type { Lifecycle } from '../../pipeline/consumer';
import type { Logger } from '../../telemetry/logger';

const MIB = 1024 * 1024;

export interface MemoryLimiterOptions {
  /** Hard limit, bytes of memory in use (RSS by default). Must be > 0. */
  readonly limitBytes: number;
  /**
   * Headroom for a spike between two checks, bytes: refusing starts at the soft
   * limit `limitBytes - spikeBytes`. Default 20% of `limitBytes` (as the
   * Collector's memory_limiter).
   */
  readonly spikeBytes?: number;
  /** How often memory is read, ms. Default 1000. */
  readonly checkIntervalMs?: number;
  /** Back-off hint sent with refusals (RetryInfo), ms. Default 1000. */
  readonly retryAfterMs?: number;
  /** Memory in use, bytes. Default `process.memoryUsage.rss` (heap, Buffers and code: what the kernel kills on). */
  readonly readMemory?: () => number;
  /**
   * Called on each check at or above the hard limit. Default `globalThis.gc`
   * when Node runs with --expose-gc, else nothing.
   */
  readonly collectGarbage?: () => void;
  readonly logger: Logger;
}

/** Counters and gauges since start. */
export interface MemoryLimiterStats {
  /** True while requests are refused (gauge). */
  readonly refusing: boolean;
  /** Last reading, bytes (gauge). */
  readonly usedBytes: number;
  readonly softLimitBytes: number;
  readonly limitBytes: number;
  /** Times memory went from below to at or above the soft limit. */
  readonly episodes: number;
}

/**
 * The Collector's memory_limiter for the receivers: reads memory every
 * `checkIntervalMs`; from the soft limit on (`limitBytes - spikeBytes`) every
 * new request is refused with a retryable `resource_exhausted` (UNAVAILABLE +
 * RetryInfo on gRPC) until a reading falls below it again; at the hard limit
 * it also asks for a garbage collection. Refusing early keeps the process out
 * of the kernel's OOM killer, so the queue it holds survives the overload.
 */
export class MemoryLimiter implements Lifecycle {
  /** The `reason` label of the requests it refuses (an Admission of RequestGuard). */
  readonly reason = 'memory_limit';
  readonly #limit: number;
  readonly #soft: number;
  readonly #intervalMs: number;
  readonly #retryAfterMs: number;
  readonly #read: () => number;
  readonly #gc: (() => void) | undefined;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #refusing = false;
  #used = 0;
  #episodes = 0;

  /** Throws on invalid options, naming each problem. */
  constructor(options: MemoryLimiterOptions) {
    this.#limit = options.limitBytes;
    const spike = options.spikeBytes ?? Math.floor(options.limitBytes * 0.2);
    this.#soft = this.#limit - spike;
    this.#intervalMs = options.checkIntervalMs ?? 1000;
    this.#retryAfterMs = options.retryAfterMs ?? 1000;
    const problems: string[] = [];
    if (!Number.isSafeInteger(this.#limit) || this.#limit <= 0) problems.push(`limitBytes must be a positive integer, got ${this.#limit}`);
    if (!Number.isSafeInteger(spike) || spike < 0 || spike >= this.#limit) problems.push(`spikeBytes must be >= 0 and below limitBytes, got ${spike}`);
    if (!Number.isSafeInteger(this.#intervalMs) || this.#intervalMs <= 0) problems.push(`checkIntervalMs must be a positive integer, got ${this.#intervalMs}`);
    if (!Number.isFinite(this.#retryAfterMs) || this.#retryAfterMs < 0) problems.push(`retryAfterMs must be >= 0, got ${this.#retryAfterMs}`);
    if (problems.length > 0) throw new RangeError(`MemoryLimiter: invalid options: ${problems.join('; ')}`);
    this.#read = options.readMemory ?? (() => process.memoryUsage.rss());
    this.#gc = options.collectGarbage ?? exposedGc();
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
    this.#used = this.#read();
    const refusing = this.#used >= this.#soft;
    if (this.#used >= this.#limit) this.#gc?.();
    if (refusing === this.#refusing) return;
    this.#refusing = refusing;
    const facts = { usedMiB: mib(this.#used), softLimitMiB: mib(this.#soft), limitMiB: mib(this.#limit) };
    if (refusing) {
      this.#episodes++;
      this.#log.warn(facts, 'memory above the soft limit: refusing new requests with a retryable status');
    } else {
      this.#log.info(facts, 'memory back below the soft limit: accepting requests again');
    }
  }

  /** True while requests are refused. */
  refusing(): boolean {
    return this.#refusing;
  }

  /** The error to refuse a request with now, or undefined to let it in. */
  refusal(): PipelineError | undefined {
    if (!this.#refusing) return undefined;
    return new PipelineError(
      'resource_exhausted',
      `memory limit reached (${mib(this.#used)} MiB in use, soft limit ${mib(this.#soft)} MiB); retry later`,
      this.#retryAfterMs,
    );
  }

  stats(): MemoryLimiterStats {
    return { refusing: this.#refusing, usedBytes: this.#used, softLimitBytes: this.#soft, limitBytes: this.#limit, episodes: this.#episodes };
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

function mib(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}

function exposedGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? () => (gc as () => void)() : undefined;
}
