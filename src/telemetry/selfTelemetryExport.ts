import { SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';

/**
 * The span of one batch's troubled delivery: started (back-dated to the first
 * attempt) only when an attempt fails, so a healthy pipeline exports no self
 * spans at all and the enricher's own traffic can never feed itself. Each
 * failed attempt is an event; the span ends when the batch is sent or dropped.
 *
 * Span `export retry`, attributes `enricher.export.spans`, `.attempts`,
 * `.outcome` (sent | dropped | abandoned: shutdown's grace period ran out); events `attempt failed` with the reason and the
 * wait before the next attempt.
 */
export class ExportRetryTrace {
  #span: Span | undefined;

  constructor(
    private readonly tracer: Tracer,
    private readonly spans: number,
    private readonly firstAttemptAt: number,
  ) {}

  /** Attempt `attempt` (1-based) failed; `retryInMs` when another follows. */
  failed(attempt: number, reason: string, retryInMs?: number): void {
    this.#span ??= this.tracer.startSpan('export retry', {
      startTime: this.firstAttemptAt,
      root: true,
      attributes: { 'enricher.export.spans': this.spans },
    });
    this.#span.addEvent('attempt failed', {
      'enricher.export.attempt': attempt,
      'enricher.export.reason': reason,
      ...(retryInMs !== undefined ? { 'enricher.export.retry_in_ms': retryInMs } : {}),
    });
  }

  /** The batch left: sent after `attempts` attempts, dropped or abandoned (reason). No-op when no attempt failed. */
  finished(outcome: 'sent' | 'dropped' | 'abandoned', attempts: number, reason?: string): void {
    const span = this.#span;
    if (!span) return;
    span.setAttributes({ 'enricher.export.attempts': attempts, 'enricher.export.outcome': outcome });
    if (outcome !== 'sent') span.setStatus({ code: SpanStatusCode.ERROR, message: reason ?? 'dropped' });
    span.end();
  }
}
