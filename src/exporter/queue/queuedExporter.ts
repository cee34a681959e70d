import type { Tracer } from '@opentelemetry/api';
import { setMaxListeners } from 'node:events';
import { PipelineError } from '../../errors';
import type { HoldRelease, Lifecycle, TraceBatch, TracesConsumer } from '../../pipeline/consumer';
import type { Logger } from '../../telemetry/logger';
import { ExportRetryTrace } from '../../telemetry/selfTelemetryExport';
import { selfTracer } from '../../telemetry/selfTelemetryTracer';
import { settlesWithin, sleep, untilAborted } from './abortable';
import { backoffDelayMs } from './backoff';
import { QueueBudget } from './budget';
import { Fifo } from './fifo';
import { HoldArea } from './holdArea';
import { type QueuedExporterOptions, type ResolvedQueueOptions, resolveQueueOptions } from './options';
import { type QueueStats, newQueueCounters } from './stats';
import { MemoryQueueStore, type QueueStore, type StoredBatch } from './store';
import type { BatchSender, SendResult } from './types';

/** What `drainAndStop()` could not deliver. */
export interface DrainReport {
  /** True when the queue emptied within the grace period. */
  readonly drained: boolean;
  /**
   * Batches and spans not delivered when the grace period ran out. In memory they
   * are dropped (and counted as dropped); with a persistent store they stay on disk.
   */
  readonly leftBatches: number;
  readonly leftSpans: number;
  /** Present (true) with a persistent store: what was left stays on disk and is sent after the next start. */
  readonly leftOnDisk?: true;
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
 * With a durable {@link QueueStore} a batch is on disk before `consumeTraces`
 * resolves, and what shutdown could not deliver stays there for the next start.
 */
export class QueuedExporter implements TracesConsumer, Lifecycle {
  private readonly opts: ResolvedQueueOptions;
  private readonly sender: BatchSender;
  private readonly store: QueueStore;
  private readonly log: Logger;
  /** Self-telemetry: a span per batch whose delivery needed a retry or failed. */
  private readonly tracer: Tracer;
  private readonly waiting = new Fifo<StoredBatch>();
  private readonly budget: QueueBudget;
  /** Batches held for Genesys look-ups (TraceBatch.pending): in the budget and the store, not sent yet. */
  private readonly hold: HoldArea;
  private readonly counters = newQueueCounters();
  /** Aborted when the shutdown grace period runs out: stop waiting for anything. */
  private readonly giveUp = new AbortController();
  private state: State = 'created';
  private inFlight = 0;
  /** consumeTraces calls waiting for the store to take their batch. */
  private appending = 0;
  private abandoned = { batches: 0, spans: 0 };
  private idleWaiters: Array<() => void> = [];
  /** What ends each backpressure wait: acceptances of queued batches waiting for the queue to drain. */
  private readonly held = new Set<() => void>();
  /** From a failed send attempt until the next success: the backend is not keeping up, so nothing is held. */
  private backendFailing = false;
  private starting?: Promise<void>;
  private stopping?: Promise<DrainReport>;

  /** Throws if an option is invalid, naming each problem. */
  constructor(options: QueuedExporterOptions & { readonly tracer?: Tracer }) {
    this.opts = resolveQueueOptions(options);
    this.tracer = options.tracer ?? selfTracer();
    this.sender = options.sender;
    this.store = options.store ?? new MemoryQueueStore();
    this.log = options.logger.child({ component: 'exporter/queue' });
    this.budget = new QueueBudget(this.opts.maxQueueSpans, this.opts.maxQueueBytes);
    this.hold = new HoldArea(this.opts.maxHeldSpans, this.opts.maxHeldBytes);
    // Each batch in flight listens on giveUp twice at most (its wait and its sender's call).
    setMaxListeners(2 * this.opts.concurrency + 10, this.giveUp.signal);
  }

  /**
   * Opens the store (queueing what a previous run left undelivered), starts the
   * sender, then accepts batches. Idempotent; rejects after shutdown.
   */
  start(): Promise<void> {
    if (this.stopping) return Promise.reject(new Error('QueuedExporter: already shut down'));
    this.starting ??= this.open();
    return this.starting;
  }

  /**
   * Queues the batch and resolves; sending happens in the background. With
   * `backpressureMs`, a batch that has to wait behind others while the backend
   * keeps up resolves once no batch waits any more (all taken by export calls),
   * at most that long. Rejects with
   * `resource_exhausted` (+ retryAfterMs) when full, `unavailable` before start,
   * `shutting_down` after shutdown began, `invalid_argument` when the batch alone
   * exceeds the queue's bounds (it could never be accepted).
   *
   * A held batch (`batch.pending`) is stored and answered at once (never
   * backpressured: it is not in line to be sent yet); it joins the line when its
   * look-ups settle, or earlier when the hold is over its bounds (oldest first).
   */
  async consumeTraces(batch: TraceBatch): Promise<void> {
    const spans = spansOf(batch);
    const refusal = this.refusalFor(spans, batch.bytes.length);
    if (refusal) throw this.refuse(spans, refusal);
    this.budget.reserve(spans, batch.bytes.length);
    let entry: StoredBatch;
    this.appending++;
    try {
      entry = await this.store.append(batch);
    } catch (err) {
      this.budget.release(spans, batch.bytes.length);
      const reason = err instanceof Error ? err.message : String(err);
      throw this.refuse(spans, new PipelineError('unavailable', `could not persist the batch: ${reason}`, this.opts.fullRetryAfterMs));
    } finally {
      this.appending--;
    }
    if (this.giveUp.signal.aborted) {
      // Shutdown gave up while it was being written (only a durable store takes that long).
      this.budget.release(spans, batch.bytes.length);
      this.abandon(entry);
      this.notifyIfIdle();
      return;
    }
    if (batch.pending) return this.holdBatch(entry, spans, batch.bytes.length);
    this.waiting.push(entry);
    this.pump();
    // Left waiting behind other batches while the backend keeps up: hold the sender back until the queue drains.
    if (this.waiting.size > 0 && this.opts.backpressureMs > 0 && !this.backendFailing) await this.untilDrained();
  }

  /** Counters and gauges for metrics; a fresh snapshot each call. */
  stats(): QueueStats {
    const persistent = this.store.stats();
    return {
      ...this.counters,
      queuedBatches: this.waiting.size + this.inFlight + this.appending + this.hold.size,
      queuedSpans: this.budget.spans,
      queuedBytes: this.budget.bytes,
      inFlightBatches: this.inFlight,
      heldBatches: this.hold.size,
      heldSpans: this.hold.spans,
      heldBytes: this.hold.bytes,
      ...(persistent ? { persistent } : {}),
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
   * `shutdownGraceMs` option), then gives up on what is left (dropped in memory,
   * kept by a persistent store), logs and reports it, closes the store and shuts
   * the sender down. Safe twice (the first call's grace applies) and before start.
   */
  drainAndStop(options: { graceMs?: number } = {}): Promise<DrainReport> {
    this.stopping ??= this.drain(options.graceMs ?? this.opts.shutdownGraceMs);
    return this.stopping;
  }

  private async open(): Promise<void> {
    const owed = await this.store.open();
    await this.sender.start();
    if (this.state !== 'created') return; // shut down while starting: what is owed stays in the store
    for (const entry of owed) {
      if (entry.unfinished) this.resume(entry);
      this.budget.reserve(spansOf(entry.batch), entry.batch.bytes.length); // may exceed the bounds: refuse until drained
      if (entry.batch.pending) this.holdBatch(entry, spansOf(entry.batch), entry.batch.bytes.length);
      else this.waiting.push(entry);
    }
    this.state = 'running';
    this.pump();
  }

  private refuse(spans: number, error: PipelineError): PipelineError {
    this.counters.refusedBatches++;
    this.counters.refusedSpans += spans;
    return error;
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

  /** Holds a stored batch until its look-ups settle; the oldest held go on early when the hold is over its bounds. */
  private holdBatch(entry: StoredBatch, spans: number, bytes: number): void {
    const pending = entry.batch.pending!;
    this.hold.add(entry, spans, bytes);
    void pending.settled.then(() => this.unhold(entry, 'settled'));
    for (let oldest = this.hold.overflowing(); oldest; oldest = this.hold.overflowing()) {
      this.counters.holdOverflows++;
      this.unhold(oldest, 'overflow');
    }
  }

  /** A held batch is finished (enriched with what is known) and joins the line to be sent. */
  private unhold(entry: StoredBatch, why: HoldRelease): void {
    if (!this.hold.delete(entry)) return; // released already (overflow, shutdown)
    const held = entry.batch;
    let finished: TraceBatch;
    try {
      finished = held.pending!.finish(why);
    } catch (err) {
      this.log.error({ err }, 'bug: could not finish a held batch; sending it unenriched');
      finished = { bytes: held.bytes, spanCount: held.spanCount };
    }
    this.budget.release(spansOf(held), held.bytes.length);
    this.budget.reserve(spansOf(finished), finished.bytes.length); // enriched bytes may go past the bound a little: refuse until sent
    entry.batch = finished;
    this.waiting.push(entry);
    this.pump();
  }

  /** A batch read back unfinished from the store: enriched now, or held again. */
  private resume(entry: StoredBatch): void {
    const resumeHeld = this.opts.resumeHeld;
    if (!resumeHeld) return; // sent as stored
    try {
      entry.batch = resumeHeld(entry.batch.bytes);
    } catch (err) {
      this.log.error({ err }, 'could not enrich a batch held by the previous run; sending it as received');
    }
  }

  /**
   * At shutdown, held batches whose look-ups did not settle in time: a durable
   * store keeps them (unfinished) for the next start, which looks their users
   * up again; in memory they are finished with what is known and sent.
   */
  private releaseHeldAtShutdown(): void {
    for (const entry of this.hold.all()) {
      if (!this.store.durable) {
        this.unhold(entry, 'shutdown');
        continue;
      }
      this.hold.delete(entry);
      entry.batch.pending?.abandon();
      this.budget.release(spansOf(entry.batch), entry.batch.bytes.length);
      this.abandon(entry); // durable: left on disk, reported
    }
  }

  /** Resolves when nothing waits to be sent any more, after `backpressureMs`, or when holding stops (failure, shutdown). */
  private untilDrained(): Promise<void> {
    this.counters.backpressuredBatches++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.counters.backpressureTimeouts++;
        release();
      }, this.opts.backpressureMs);
      const release = () => {
        clearTimeout(timer);
        this.held.delete(release);
        resolve();
      };
      this.held.add(release);
    });
  }

  /** Ends every backpressure wait: the batches stay queued, their senders are answered. */
  private releaseHeld(): void {
    for (const release of [...this.held]) release();
  }

  private pump(): void {
    while (this.inFlight < this.opts.concurrency && this.waiting.size > 0) {
      const entry = this.waiting.shift() as StoredBatch;
      this.inFlight++;
      void this.deliver(entry)
        .catch((err: unknown) => this.log.error({ err }, 'bug: delivery loop failed'))
        .finally(() => {
          this.inFlight--;
          this.budget.release(spansOf(entry.batch), entry.batch.bytes.length);
          this.pump();
          this.notifyIfIdle();
        });
    }
    // Drained: every batch that had to wait has been taken, so their senders are answered together
    // (as a Node stream emits 'drain'); answering each as it is taken keeps senders and sending interleaved.
    if (this.waiting.size === 0 && this.held.size > 0) this.releaseHeld();
  }

  private async deliver(entry: StoredBatch): Promise<void> {
    const { batch } = entry;
    const firstAttemptAt = Date.now();
    const trace = new ExportRetryTrace(this.tracer, spansOf(batch), firstAttemptAt);
    for (let retry = 0; ; retry++) {
      const result = await this.attempt(batch);
      if (result.status === 'success') {
        this.backendFailing = false;
        trace.finished('sent', retry + 1);
        this.recordSent(batch, result);
        this.store.ack(entry);
        return batch.release?.();
      }
      this.counters.failedAttempts++;
      this.backendFailing = true; // buffer from now on: holding senders would only make them time out
      this.releaseHeld();
      const next = this.nextStep(result, retry, firstAttemptAt);
      trace.failed(retry + 1, result.reason, 'retryInMs' in next ? next.retryInMs : undefined);
      if ('dropBecause' in next) {
        trace.finished('dropped', retry + 1, next.dropBecause);
        return this.drop(entry, next.dropBecause, retry + 1);
      }
      this.counters.retries++;
      const slept = await sleep(next.retryInMs, this.giveUp.signal);
      if (!slept) {
        trace.finished('abandoned', retry + 1, 'shutdown grace period ran out');
        return this.drop(entry, `shutdown grace period ran out: ${result.reason}`, retry + 1);
      }
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

  private drop(entry: StoredBatch, reason: string, attempts: number): void {
    if (this.giveUp.signal.aborted && this.store.durable) return this.abandon(entry);
    const { batch } = entry;
    this.countDrop(batch);
    this.store.ack(entry); // gone for good: not to be sent again after a restart
    this.log.warn({ spans: spansOf(batch), bytes: batch.bytes.length, attempts, reason }, 'dropped a batch');
    // An attempt abandoned at shutdown may still be on the wire: its memory is not handed out again.
    if (!this.giveUp.signal.aborted) batch.release?.();
  }

  private countDrop(batch: TraceBatch): void {
    this.counters.droppedBatches++;
    this.counters.droppedSpans += spansOf(batch);
    if (this.giveUp.signal.aborted) {
      this.abandoned.batches++;
      this.abandoned.spans += spansOf(batch);
    }
  }

  /** Gives up on a batch not being sent at shutdown: a durable store keeps it (not acked), memory loses it (dropped). */
  private abandon(entry: StoredBatch): void {
    const { batch } = entry;
    if (!this.store.durable) {
      this.countDrop(batch); // summarised in one log line by drain()
      return batch.release?.();
    }
    this.abandoned.batches++;
    this.abandoned.spans += spansOf(batch);
  }

  private async drain(graceMs: number): Promise<DrainReport> {
    this.state = 'draining';
    this.releaseHeld(); // what is queued is drained (or reported) like the rest
    await this.starting?.catch(() => undefined);
    // Held batches get the first half of the grace period to settle (each joins the line when it does),
    // sending gets the rest; what is still held then is left on disk or finished unresolved.
    const startedAt = Date.now();
    if (this.hold.size > 0) {
      await settlesWithin(Promise.all(this.hold.all().map((e) => e.batch.pending!.settled)), Math.floor(graceMs / 2));
      this.releaseHeldAtShutdown();
    }
    const drained = await settlesWithin(this.whenIdle(), Math.max(0, graceMs - (Date.now() - startedAt)));
    if (!drained) this.abandonAll();
    await this.whenIdle(); // prompt: every wait above races giveUp
    this.state = 'stopped';
    const left = { leftBatches: this.abandoned.batches, leftSpans: this.abandoned.spans };
    const report: DrainReport = this.store.durable ? { drained, ...left, leftOnDisk: true } : { drained, ...left };
    if (drained) this.log.info('sending queue drained');
    else if (this.store.durable) this.log.warn({ ...left, graceMs }, 'shutdown grace period ran out; undelivered batches stay in the persistent queue for the next start');
    else this.log.warn({ ...report, graceMs }, 'shutdown grace period ran out; undelivered batches dropped');
    await this.store.close().catch((err: unknown) => this.log.error({ err }, 'could not close the queue store cleanly (batches may be sent again after a restart)'));
    await this.sender.shutdown();
    return report;
  }

  private abandonAll(): void {
    this.giveUp.abort();
    for (const entry of this.waiting.drain()) {
      this.budget.release(spansOf(entry.batch), entry.batch.bytes.length);
      this.abandon(entry);
    }
    this.notifyIfIdle();
  }

  private isIdle(): boolean {
    return this.waiting.size === 0 && this.inFlight === 0 && this.appending === 0 && this.hold.size === 0;
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
