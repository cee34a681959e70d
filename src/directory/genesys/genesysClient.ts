import { SpanKind, type Tracer } from '@opentelemetry/api';
import type { Logger } from '../../telemetry/logger';
import { traceHttpClient } from '../../telemetry/selfTelemetryHttp';
import { endWhenSettled } from '../../telemetry/selfTelemetrySpans';
import { selfTracer } from '../../telemetry/selfTelemetryTracer';
import { raceAbort, scopedSignal, sleep } from './abort';
import { resolveClientOptions, type GenesysClientOptions } from './clientOptions';
import { GenesysError, toGenesysError } from './errors';
import type { RequestLimiter } from './rateLimiter';
import { retryDelayMs, type ResolvedRetryOptions } from './retryPolicy';
import { createApis, createSdkClient, type GenesysApis } from './sdk';
import { TOKEN_OPERATION, TokenManager } from './tokenManager';

export type { GenesysClientOptions } from './clientOptions';

export interface CallOptions {
  /** Aborting rejects the call with code `aborted` (an HTTP request already sent runs on unobserved). */
  readonly signal?: AbortSignal;
  /**
   * The caller already took this call's first turn from the client's rate
   * limiter (the look-up batcher does, so that ids keep collecting while it
   * waits); retries still take theirs.
   */
  readonly admitted?: boolean;
}

/** Counters since construction, for metrics. */
export interface GenesysClientStats {
  /** HTTP requests sent, token requests included. */
  readonly requests: number;
  /** Requests by outcome: HTTP status as a string, or `network` / `timeout` when none came back. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Token requests (initial, proactive renewals and after a 401). */
  readonly tokenRequests: number;
  /** API calls that got a 401 and were retried with a renewed token. */
  readonly unauthorizedRetries: number;
  /** Retries after 429, 5xx, network errors and timeouts. */
  readonly retries: number;
  /** Calls given up because the retry budget ran out. */
  readonly budgetExhausted: number;
}

/**
 * The one way this service talks to Genesys Cloud: one SDK client (its own,
 * not the SDK singleton), one token, one retry policy.
 *
 * `call` runs an SDK operation with: a token acquired or renewed before
 * expiry, renew-once-and-retry on 401, 429 retried after Retry-After, 502/503/504,
 * network errors and timeouts retried with jittered exponential backoff, at most
 * `retry.maxAttempts` attempts within `retry.budgetMs`; 409 and other 4xx are
 * never retried. Failures reject with a {@link GenesysError}.
 */
export class GenesysClient {
  readonly #apis: GenesysApis;
  readonly #tokens: TokenManager;
  readonly #retry: ResolvedRetryOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #limiter: RequestLimiter | undefined;
  /** Self-telemetry: a span per call, a child span per HTTP request (token requests and retries included). */
  readonly #tracer: Tracer;
  readonly #closed = new AbortController();
  readonly #byStatus: Record<string, number> = {};
  #requests = 0;
  #tokenRequests = 0;
  #unauthorizedRetries = 0;
  #retries = 0;
  #budgetExhaustedCount = 0;

  constructor(options: GenesysClientOptions & { readonly tracer?: Tracer }) {
    const o = resolveClientOptions(options);
    this.#retry = o.retry;
    this.#logger = o.logger;
    this.#now = o.now;
    this.#random = o.random;
    this.#limiter = o.rateLimiter;
    const sdk = createSdkClient({ region: o.region, apiUrl: o.apiUrl, requestTimeoutMs: o.requestTimeoutMs });
    this.#tracer = options.tracer ?? selfTracer();
    traceHttpClient(sdk.getHttpClient(), this.#tracer, 'genesys');
    this.#apis = createApis(sdk);
    this.#tokens = new TokenManager({
      sdk,
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      renewMarginMs: o.tokenRenewMarginMs,
      now: o.now,
      logger: o.logger,
      onRequest: (outcome) => {
        this.#tokenRequests++;
        this.#countRequest(outcome);
      },
    });
  }

  /**
   * Runs `fn` (one SDK call on the given API instances) under the token and
   * retry policy, and resolves with the response body. `operation` names the
   * call in errors, logs and stats, e.g. `getUsers`.
   */
  call<T>(operation: string, fn: (apis: GenesysApis) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const attributes = { 'genesys.operation': operation };
    return this.#tracer.startActiveSpan(`genesys ${operation}`, { kind: SpanKind.INTERNAL, attributes }, (span) =>
      endWhenSettled(span, this.#call(operation, fn, options)),
    );
  }

  async #call<T>(operation: string, fn: (apis: GenesysApis) => Promise<T>, options: CallOptions): Promise<T> {
    // The first turn is waited for before the budget starts: queueing behind a bulk run is not a Genesys failure.
    if (this.#limiter && !options.admitted) await this.#firstTurn(this.#limiter, operation, options.signal);
    const started = this.#now();
    const scope = scopedSignal(this.#retry.budgetMs, [this.#closed.signal, options.signal]);
    let attempts = 0;
    let failures = 0;
    let retriedUnauthorized = false;
    let last: GenesysError | undefined;
    try {
      for (;;) {
        if (scope.signal.aborted) throw this.#stopped(operation, options.signal, last, failures);
        let generation: number | undefined;
        try {
          generation = await raceAbort(this.#tokens.ensure(), scope.signal);
          if (this.#limiter && attempts++ > 0) await raceAbort(this.#limiter.acquire(scope.signal), scope.signal);
          return await raceAbort(this.#attempt(fn), scope.signal);
        } catch (raw) {
          if (scope.signal.aborted) throw this.#stopped(operation, options.signal, last, failures);
          last = toGenesysError(raw, operation, this.#tokens.secrets());
          if (last.status === 429 && last.retryAfterMs !== undefined) this.#limiter?.throttled?.(last.retryAfterMs);
        }
        // A 401 on the API (not on /oauth/token) means the token died early: renew once and retry.
        if (last.status === 401 && last.operation !== TOKEN_OPERATION && !retriedUnauthorized && generation !== undefined) {
          retriedUnauthorized = true;
          this.#unauthorizedRetries++;
          this.#tokens.invalidate(generation);
          continue;
        }
        failures++;
        const wait = this.#retryWait(last, failures, started); // throws when giving up
        try {
          await sleep(wait, scope.signal);
        } catch {
          throw this.#stopped(operation, options.signal, last, failures);
        }
      }
    } finally {
      scope.dispose();
    }
  }

  /** A snapshot of the counters. */
  stats(): GenesysClientStats {
    return {
      requests: this.#requests,
      byStatus: { ...this.#byStatus },
      tokenRequests: this.#tokenRequests,
      unauthorizedRetries: this.#unauthorizedRetries,
      retries: this.#retries,
      budgetExhausted: this.#budgetExhaustedCount,
    };
  }

  /** Rejects calls in progress (code `closed`) and all later ones. Safe to call twice. */
  close(): void {
    this.#closed.abort(new Error('closed'));
  }

  async #firstTurn(limiter: RequestLimiter, operation: string, callerSignal: AbortSignal | undefined): Promise<void> {
    const signal = callerSignal ? AbortSignal.any([this.#closed.signal, callerSignal]) : this.#closed.signal;
    try {
      await raceAbort(limiter.acquire(signal), signal);
    } catch {
      throw this.#stopped(operation, callerSignal, undefined, 0);
    }
  }

  async #attempt<T>(fn: (apis: GenesysApis) => Promise<T>): Promise<T> {
    let response: unknown;
    try {
      // Called inside the try: the SDK throws a plain string synchronously on a missing argument.
      response = await fn(this.#apis);
    } catch (raw) {
      const err = toGenesysError(raw, 'attempt');
      // client_error: the SDK refused the call before sending anything.
      if (err.code !== 'client_error') this.#countRequest(err.status ? String(err.status) : err.code);
      throw raw;
    }
    const status = extendedStatus(response);
    this.#countRequest(status === undefined ? 'ok' : String(status));
    return (status === undefined ? response : (response as { body: unknown }).body) as T;
  }

  // Milliseconds to wait before retrying after `last`, or throws the error that ends the call.
  #retryWait(last: GenesysError, failures: number, started: number): number {
    if (!last.retryable || failures >= this.#retry.maxAttempts) throw this.#givingUp(last, failures);
    const wait = retryDelayMs(last, failures, this.#retry, this.#random);
    if (this.#now() + wait > started + this.#retry.budgetMs) throw this.#budgetExhausted(last.operation, last, failures);
    this.#retries++;
    this.#logger.debug({ operation: last.operation, code: last.code, status: last.status, waitMs: wait, attempt: failures }, 'genesys call retrying');
    return wait;
  }

  #countRequest(outcome: string): void {
    this.#requests++;
    this.#byStatus[outcome] = (this.#byStatus[outcome] ?? 0) + 1;
  }

  #givingUp(err: GenesysError, attempts: number): GenesysError {
    // Transient trouble and rejected credentials need an operator; a 404 or 409 is the caller's business.
    const level = err.retryable || err.status === 401 || err.status === 403 ? 'warn' : 'debug';
    this.#logger[level](
      { operation: err.operation, code: err.code, status: err.status, attempts, correlationId: err.correlationId },
      'genesys call failed',
    );
    return err;
  }

  #budgetExhausted(operation: string, last: GenesysError | undefined, attempts: number): GenesysError {
    this.#budgetExhaustedCount++;
    return this.#givingUp(
      new GenesysError({
        status: last?.status ?? 0,
        code: 'budget_exhausted',
        retryable: true,
        operation,
        correlationId: last?.correlationId,
        detail: `gave up after ${attempts} attempt(s) within ${this.#retry.budgetMs} ms${last ? `; last: ${last.message}` : ''}`,
      }),
      attempts,
    );
  }

  // Which of the three signals stopped the call: close(), the caller, or the budget timer.
  #stopped(operation: string, callerSignal: AbortSignal | undefined, last: GenesysError | undefined, attempts: number): GenesysError {
    if (this.#closed.signal.aborted) {
      return new GenesysError({ status: 0, code: 'closed', retryable: false, operation, detail: 'the client was closed' });
    }
    if (callerSignal?.aborted) {
      return new GenesysError({ status: 0, code: 'aborted', retryable: false, operation, detail: 'the caller aborted' });
    }
    return this.#budgetExhausted(operation, last, attempts);
  }
}

function extendedStatus(response: unknown): number | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const r = response as { status?: unknown };
  return typeof r.status === 'number' && 'body' in response ? r.status : undefined;
}
