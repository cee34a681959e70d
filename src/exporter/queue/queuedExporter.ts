import { PipelineError } from '../../errors';
import type { Lifecycle, TraceBatch, TracesConsumer } from '../../pipeline/consumer';
import type { Logger } from '../../telemetry/logger';
import { settlesWithin, sleep, untilAborted } from './abortable';
import { backoffDelayMs } from './backoff';
import { QueueBudget } from './budget';
import { Fifo } from './fifo';
import { type QueuedExporterOptions, type ResolvedQueueOptions, resolveQueueOptions } from './options';
import { type QueueStats, newQueueCounters } from './stats';
import type { BatchSender, SendResult } from './types';

/** What `drainAndStop()` could not deliver. */
export interface DrainReport {
  /** True when the queue emptied within the grace period. */
  readonly drained: boolean;
  /** Batches and spans given up because the grace period ran out (also counted as dropped). */
  readonly leftBatches: number;
  readonly leftSpans: number;
}

type State = 'created' | 'running' | 'draining' | 'stopped';
type NextStep = { readonly retryInMs: number } | { readonly dropBecause: string };

/**
 * The sending queue in front of any {@link BatchSender} (the Collector's
 * exporterhelper): bounded in spans and bytes, `concurrency` batches in flight,
 * retries with exponential backoff and full jitter. `consumeTraces` resolves once
 * the batch is queued and refuses with a retryable PipelineError when the queue
 * is full, so data is never dropped silently: a batch leaves either sent, or
 * dropped, counted and logged (permanent failure, retry budget spent, shutdown).
 */
export class QueuedExporter implements TracesConsumer, Lifecycle {
  private readonly opts: ResolvedQueueOptions;
  private readonly sender: BatchSender;
  private readonly log: Logger;
  private readonly waiting = new Fifo<TraceBatch>();
  private readonly budget: QueueBudget;
  private readonly counters = newQueueCounters();
  /** Aborted when the shutdown grace period runs out: stop waiting for anything. */
  private readonly giveUp = new AbortController();
  private state: State = 'created';
  private inFlight = 0;
  private abandoned = { batches: 0, spans: 0 };
  private idleWaiters: Array<() => void> = [];
  private starting?: Promise<void>;
  private stopping?: Promise<DrainReport>;

  /** Throws if an option is invalid, naming each problem. */
  constructor(options: QueuedExporterOptions) {
    this.opts = resolveQueueOptions(options);
    this.sender = options.sender;
    this.log = options.logger.child({ component: 'exporter/queue' });
    this.budget = new QueueBudget(this.opts.maxQueueSpans, this.opts.maxQueueBytes);
  }

  /** Starts the sender, then accepts batches. Idempotent; rejects after shutdown. */
  start(): Promise<void> {
    if (this.stopping) return Promise.reject(new Error('QueuedExporter: already shut down'));
    this.starting ??= this.sender.start().then(() => {
      if (this.state === 'created') this.state = 'running';
    });
    return this.starting;
  }

  /**
   * Queues the batch and resolves; sending happens in the background. Rejects with
   * `resource_exhausted` (+ retryAfterMs) when full, `unavailable` before start,
   * `shutting_down` after shutdown began, `invalid_argument` when the batch alone
   * exceeds the queue's bounds (it could never be accepted).
   */
  async consumeTraces(batch: TraceBatch): Promise<void> {
    const spans = spansOf(batch);
    const refusal = this.refusalFor(spans, batch.bytes.length);
    if (refusal) {
      this.counters.refusedBatches++;
      this.counters.refusedSpans += spans;
      throw refusal;
    }
    this.budget.reserve(spans, batch.bytes.length);
    this.waiting.push(batch);
    this.pump();
  }

  /** Counters and gauges for metrics; a fresh snapshot each call. */
  stats(): QueueStats {
    return {
      ...this.counters,
      queuedBatches: this.waiting.size + this.inFlight,
      queuedSpans: this.budget.spans,
      queuedBytes: this.budget.bytes,
      inFlightBatches: this.inFlight,
    };
  }

  /** Resolves once nothing is queued or in flight (now, if so already). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** {@link drainAndStop} for the Lifecycle contract. */
  async shutdown(options: { graceMs?: number } = {}): Promise<void> {
    await this.drainAndStop(options);
  }

  /**
   * Stops accepting, keeps sending (and retrying) for up to `graceMs` (default the
   * `shutdownGraceMs` option), then drops what is left, logs and reports it, and
   * shuts the sender down. Safe twice (the first call's grace applies) and before start.
   */
  drainAndStop(options: { graceMs?: number } = {}): Promise<DrainReport> {
    this.stopping ??= this.drain(options.graceMs ?? this.opts.shutdownGraceMs);
    return this.stopping;
  }

  private refusalFor(spans: number, bytes: number): PipelineError | undefined {
    if (this.state === 'created') return new PipelineError('unavailable', 'sending queue not started', this.opts.fullRetryAfterMs);
    if (this.state !== 'running') return new PipelineError('shutting_down', 'sending queue is shutting down');
    const fit = this.budget.fit(spans, bytes);
    const { maxQueueSpans, maxQueueBytes, fullRetryAfterMs } = this.opts;
    if (fit === 'never') {
      return new PipelineError('invalid_argument', `batch of ${spans} spans, ${bytes} bytes exceeds the queue bounds (${maxQueueSpans} spans, ${maxQueueBytes} bytes)`);
    }
    if (fit === 'full') {
      const held = `${this.budget.spans}/${maxQueueSpans} spans, ${this.budget.bytes}/${maxQueueBytes} bytes`;
      return new PipelineError('resource_exhausted', `sending queue is full (${held})`, fullRetryAfterMs);
    }
    return undefined;
  }

  private pump(): void {
    while (this.inFlight < this.opts.concurrency && this.waiting.size > 0) {
      const batch = this.waiting.shift() as TraceBatch;
      this.inFlight++;
      void this.deliver(batch)
        .catch((err: unknown) => this.log.error({ err }, 'bug: delivery loop failed'))
        .finally(() => {
          this.inFlight--;
          this.budget.release(spansOf(batch), batch.bytes.length);
          this.pump();
          this.notifyIfIdle();
        });
    }
  }

  private async deliver(batch: TraceBatch): Promise<void> {
    const firstAttemptAt = Date.now();
    for (let retry = 0; ; retry++) {
      const result = await this.attempt(batch);
      if (result.status === 'success') return this.recordSent(batch, result);
      this.counters.failedAttempts++;
      const next = this.nextStep(result, retry, firstAttemptAt);
      if ('dropBecause' in next) return this.drop(batch, next.dropBecause, retry + 1);
      this.counters.retries++;
      const slept = await sleep(next.retryInMs, this.giveUp.signal);
      if (!slept) return this.drop(batch, `shutdown grace period ran out: ${result.reason}`, retry + 1);
    }
  }

  private async attempt(batch: TraceBatch): Promise<SendResult> {
    const signal = this.giveUp.signal;
    const abandoned = (): SendResult => ({ status: 'retryable', reason: 'abandoned at shutdown' });
    try {
      return await untilAborted(this.sender.send(batch, signal), signal, abandoned);
    } catch (err) {
      return { status: 'failure', reason: `sender threw: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  private nextStep(result: Exclude<SendResult, { status: 'success' }>, retry: number, firstAttemptAt: number): NextStep {
    if (result.status === 'failure') return { dropBecause: `permanent failure: ${result.reason}` };
    if (this.giveUp.signal.aborted) return { dropBecause: `shutdown grace period ran out: ${result.reason}` };
    const backoff = backoffDelayMs(this.opts.backoff, retry, this.opts.random);
    const delay = Math.max(backoff, result.retryAfterMs ?? 0);
    if (Date.now() - firstAttemptAt + delay > this.opts.maxElapsedMs) {
      return { dropBecause: `retry budget of ${this.opts.maxElapsedMs} ms spent: ${result.reason}` };
    }
    return { retryInMs: delay };
  }

  private recordSent(batch: TraceBatch, result: Extract<SendResult, { status: 'success' }>): void {
    this.counters.sentBatches++;
    this.counters.sentSpans += spansOf(batch);
    this.counters.sentBytes += batch.bytes.length;
    if (result.rejectedSpans || result.message) {
      this.counters.rejectedSpans += result.rejectedSpans ?? 0;
      this.log.warn({ rejectedSpans: result.rejectedSpans ?? 0, reason: result.message }, 'downstream accepted a batch only in part');
    }
  }

  private drop(batch: TraceBatch, reason: string, attempts: number): void {
    this.countDrop(batch);
    this.log.warn({ spans: spansOf(batch), bytes: batch.bytes.length, attempts, reason }, 'dropped a batch');
  }

  private countDrop(batch: TraceBatch): void {
    this.counters.droppedBatches++;
    this.counters.droppedSpans += spansOf(batch);
    if (this.giveUp.signal.aborted) {
      this.abandoned.batches++;
      this.abandoned.spans += spansOf(batch);
    }
  }

  private async drain(graceMs: number): Promise<DrainReport> {
    this.state = 'draining';
    await this.starting?.catch(() => undefined);
    const drained = await settlesWithin(this.whenIdle(), graceMs);
    if (!drained) this.abandonAll();
    await this.whenIdle(); // prompt: every wait above races giveUp
    this.state = 'stopped';
    const report: DrainReport = { drained, leftBatches: this.abandoned.batches, leftSpans: this.abandoned.spans };
    if (drained) this.log.info('sending queue drained');
    else this.log.warn({ ...report, graceMs }, 'shutdown grace period ran out; undelivered batches dropped');
    await this.sender.shutdown();
    return report;
  }

  private abandonAll(): void {
    this.giveUp.abort();
    for (const batch of this.waiting.drain()) {
      this.budget.release(spansOf(batch), batch.bytes.length);
      this.countDrop(batch); // summarised in one log line by drain()
    }
    this.notifyIfIdle();
  }

  private isIdle(): boolean {
    return this.waiting.size === 0 && this.inFlight === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Upstream's span count; the receiver's 0 (not yet counted) counts as none. */
function spansOf(batch: TraceBatch): number {
  return Number.isSafeInteger(batch.spanCount) && batch.spanCount > 0 ? batch.spanCount : 0;
}
