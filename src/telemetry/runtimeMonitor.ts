import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import { Histogram, type HistogramSnapshot } from './metricsHistogram';

/**
 * Bounds of garbage-collection pauses, seconds: from a quick scavenge to a
 * stop-the-world collection of a large heap. The tail the service's latency
 * depends on sits between 5 and 50 ms (docs/performance.md).
 */
export const GC_SECONDS_BUCKETS: readonly number[] = Object.freeze([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]);

/** How often the event-loop delay is sampled, ms (Node's default is 10). */
const EVENT_LOOP_RESOLUTION_MS = 10;

/** GC kinds as prom-client's `nodejs_gc_duration_seconds{kind}` names them. */
const GC_KINDS: ReadonlyMap<number, string> = new Map([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

/** Event-loop delay over a window, seconds. */
export interface EventLoopDelay {
  readonly p50Seconds: number;
  readonly p99Seconds: number;
  readonly maxSeconds: number;
}

/** What the runtime metrics read (see RuntimeMonitor). */
export interface RuntimeSource {
  /** Pause durations per GC kind since start, seconds. */
  gcPauses(): readonly { readonly kind: string; readonly pauses: HistogramSnapshot }[];
  /** Event-loop delay since the previous call (or start); undefined before start or without samples. */
  takeEventLoopDelay(): EventLoopDelay | undefined;
}

/**
 * Watches the process's own runtime: how long each garbage collection held
 * the main thread (perf_hooks 'gc' entries), and how late the event loop ran
 * timers (monitorEventLoopDelay). Both are what a latency tail is made of,
 * and neither shows in CPU or memory figures. One per process; `stop` lets go
 * of the observer and the sampling timer.
 */
export class RuntimeMonitor implements RuntimeSource {
  readonly #gc = new Map<string, Histogram>([...GC_KINDS.values()].map((kind) => [kind, new Histogram(GC_SECONDS_BUCKETS)]));
  #observer: PerformanceObserver | undefined;
  #loop: IntervalHistogram | undefined;

  /** Starts observing; a second call does nothing. */
  start(): void {
    if (this.#observer) return;
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = GC_KINDS.get((entry.detail as { kind?: number } | undefined)?.kind ?? -1);
        if (kind !== undefined) this.#gc.get(kind)!.observe(entry.duration / 1000);
      }
    });
    this.#observer.observe({ entryTypes: ['gc'] });
    this.#loop = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    this.#loop.enable();
  }

  /** Stops observing; figures so far stay readable. Safe before start and twice. */
  stop(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#loop?.disable();
  }

  gcPauses(): readonly { readonly kind: string; readonly pauses: HistogramSnapshot }[] {
    return [...this.#gc].map(([kind, histogram]) => ({ kind, pauses: histogram.snapshot() }));
  }

  takeEventLoopDelay(): EventLoopDelay | undefined {
    const loop = this.#loop;
    if (!loop || loop.count === 0) return undefined;
    const seconds = (ns: number) => ns / 1e9;
    const delay = { p50Seconds: seconds(loop.percentile(50)), p99Seconds: seconds(loop.percentile(99)), maxSeconds: seconds(loop.max) };
    loop.reset();
    return delay;
  }
}
