/** The Genesys user facts the enricher and the deactivation use case rely on. */
export type UserState = 'active' | 'inactive' | 'deleted';

/** A Genesys Cloud user, as much of it as we use (see shared genesys-api.md). */
export interface GenesysUser {
  readonly id: string;
  /** Display name. */
  readonly name?: string;
  /** Login, usually an email address. */
  readonly username?: string;
  readonly email?: string;
  readonly state: UserState;
  readonly division?: { readonly id?: string; readonly name?: string };
  /** Required on PATCH. */
  readonly version?: number;
}

/** What a look-up of one id came to. */
export type Resolution =
  | { readonly status: 'found'; readonly user: GenesysUser }
  | { readonly status: 'not_found' }
  | {
      readonly status: 'failed';
      readonly reason: string;
      /**
       * True when Genesys answered 429 (rate limit) until the call gave up: it is
       * up and answering, only busy, so this is no reason to open the circuit,
       * and a look-up made after its Retry-After will succeed.
       */
      readonly throttled?: true;
    };

/**
 * The enricher's view of the directory: a synchronous cache probe for the hot
 * path, and a batched asynchronous resolve for misses.
 */
export interface IdentityResolver {
  /**
   * Cached resolution for a (normalised, well-formed) id, fresh or stale, or
   * undefined on a miss. A stale hit starts a background refresh. Never does I/O
   * on the caller's time.
   */
  peek(id: string): Resolution | undefined;
  /**
   * Resolves ids that `peek` missed. Concurrent misses for one id share one
   * request; misses arriving close together share bulk calls of at most 100 ids.
   * Never rejects: problems come back as `failed`. The caller decides how long
   * to wait; the look-ups go on and fill the cache either way.
   */
  resolve(ids: readonly string[]): Promise<ReadonlyMap<string, Resolution>>;
}
