import { functionOption, intOption, requiredOption } from '../directory/options';
import { normalizeUserId } from '../directory/userId';
import type { RunAction } from './journal/records';
import { DeactivationError, type DeactivationUseCase, type RunOptions, type RunReport } from './types';

const OWNER = 'BulkRunner';

/** Most users run at once; the request rate, not this, bounds the load on Genesys. */
export const MAX_CONCURRENCY = 8;

export interface BulkRunnerOptions {
  /** Usually a Deactivator whose client has a RequestRateLimiter. Required. */
  readonly useCase: DeactivationUseCase;
  /** Users in flight at once, 1..8. Default 1 (one after the other). */
  readonly concurrency?: number;
  /** Monotonic clock for the time-left estimate, milliseconds. Default performance.now. */
  readonly now?: () => number;
}

/** Told once at the start (done 0) and after each user. */
export interface BulkProgress {
  /** Users finished, failed ones included. */
  readonly done: number;
  readonly total: number;
  /** Users that ended in an error or a `failed` run. */
  readonly failed: number;
  /** Estimated time left, milliseconds, from the pace so far; undefined until a user has finished. */
  readonly etaMs: number | undefined;
  /** The user that just finished; undefined in the first call. */
  readonly last?: BulkItemResult;
}

/** One user's outcome: a report (whatever its status), or the refusal or error that stopped it. */
export type BulkItemResult =
  | { readonly userId: string; readonly ok: true; readonly report: RunReport }
  | { readonly userId: string; readonly ok: false; readonly error: { readonly code: string; readonly message: string; readonly retryable: boolean } };

export interface BulkResult {
  /** One entry per distinct id, in input order. */
  readonly results: readonly BulkItemResult[];
  readonly total: number;
  readonly failed: number;
  /** True when the signal stopped the run before every user was started (the rest are `aborted`). */
  readonly aborted: boolean;
}

/**
 * Runs deactivations or reactivations for many users: one after the other,
 * or a few at once. One malformed id or failed user never stops the others.
 * Ids are de-duplicated (by their canonical form). Aborting `options.signal`
 * starts no further user; users in flight see the signal too.
 */
export class BulkRunner {
  readonly #useCase: DeactivationUseCase;
  readonly #concurrency: number;
  readonly #now: () => number;

  constructor(options: BulkRunnerOptions) {
    requiredOption(OWNER, 'options', options);
    this.#useCase = requiredOption(OWNER, 'useCase', options.useCase);
    this.#concurrency = intOption(OWNER, 'concurrency', options.concurrency, 1);
    if (this.#concurrency > MAX_CONCURRENCY) throw new RangeError(`${OWNER}: option "concurrency" must be <= ${MAX_CONCURRENCY}, got ${this.#concurrency}`);
    this.#now = functionOption<() => number>(OWNER, 'now', options.now, performance.now.bind(performance));
  }

  async runBulk(ids: readonly string[], action: RunAction, options: RunOptions, onProgress?: (progress: BulkProgress) => void): Promise<BulkResult> {
    const unique = dedupe(ids);
    const results: BulkItemResult[] = new Array(unique.length);
    const started = this.#now();
    let next = 0;
    let done = 0;
    let failed = 0;
    onProgress?.({ done: 0, total: unique.length, failed: 0, etaMs: undefined });
    const worker = async (): Promise<void> => {
      while (next < unique.length && !options.signal?.aborted) {
        const index = next++;
        const result = await this.#one(unique[index]!, action, options);
        results[index] = result;
        done++;
        if (isFailure(result)) failed++;
        const elapsed = this.#now() - started;
        onProgress?.({ done, total: unique.length, failed, etaMs: Math.round((elapsed / done) * (unique.length - done)), last: result });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, unique.length) }, worker));
    const aborted = results.filter(Boolean).length < unique.length;
    for (let i = 0; i < unique.length; i++) {
      results[i] ??= { userId: unique[i]!, ok: false, error: { code: 'aborted', message: 'not started: the bulk run was aborted', retryable: true } };
    }
    return { results, total: unique.length, failed: results.filter(isFailure).length, aborted };
  }

  async #one(userId: string, action: RunAction, options: RunOptions): Promise<BulkItemResult> {
    try {
      const report = action === 'deactivate' ? await this.#useCase.deactivate(userId, options) : await this.#useCase.reactivate(userId, options);
      return { userId, ok: true, report };
    } catch (err) {
      if (err instanceof DeactivationError) return { userId, ok: false, error: { code: err.code, message: err.message, retryable: err.retryable } };
      // Not a refusal: a bug or a crash in one user's run. Reported, and the others go on.
      return { userId, ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : 'unexpected failure', retryable: false } };
    }
  }
}

function isFailure(result: BulkItemResult): boolean {
  return !result.ok || result.report.status === 'failed';
}

function dedupe(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = normalizeUserId(id) ?? id;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
