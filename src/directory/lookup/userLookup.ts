import type { GenesysApis } from '../genesys/sdk';
import type { CallOptions } from '../genesys/genesysClient';
import { intOption, requiredOption } from '../options';
import type { Resolution } from '../types';
import { normalizeUserId } from '../userId';
import { mapUser, type UserEntity } from './mapUser';
import { GenesysError } from '../genesys/errors';

const OWNER = 'UserLookup';

/** Most ids Genesys is asked for in one `GET /api/v2/users?id=...` (its limit is undocumented). */
export const MAX_IDS_PER_REQUEST = 100;

/** The part of GenesysClient a look-up needs (a test can pass its own). */
export interface GenesysCaller {
  call<T>(operation: string, fn: (apis: GenesysApis) => Promise<T>, options?: CallOptions): Promise<T>;
}

export interface UserLookupOptions {
  /** Usually a GenesysClient. Required. */
  readonly client: GenesysCaller;
  /** Ids per request, 1..100. Default 100. */
  readonly maxIdsPerRequest?: number;
}

const NOT_FOUND: Resolution = Object.freeze({ status: 'not_found' });

/**
 * Resolves user ids with the bulk list call
 * `GET /api/v2/users?id=a,b,...&state=any&pageSize=<n>` (the SDK sends the id
 * array comma-joined). `state=any` returns active, inactive and deleted users
 * alike, so an id absent from a complete answer is `not_found`. A missing id is
 * not re-checked with `GET /api/v2/users/{id}?state=deleted`: that would add a
 * request per unknown id, and unknown ids are exactly the traffic a client can
 * generate at will; a short not_found TTL in the cache bounds the staleness.
 */
export class UserLookup {
  readonly #client: GenesysCaller;
  readonly #chunkSize: number;

  constructor(options: UserLookupOptions) {
    requiredOption(OWNER, 'options', options);
    this.#client = requiredOption(OWNER, 'client', options.client);
    this.#chunkSize = intOption(OWNER, 'maxIdsPerRequest', options.maxIdsPerRequest, MAX_IDS_PER_REQUEST);
    if (this.#chunkSize > MAX_IDS_PER_REQUEST) {
      throw new RangeError(`${OWNER}: option "maxIdsPerRequest" must be <= ${MAX_IDS_PER_REQUEST}, got ${this.#chunkSize}`);
    }
  }

  /**
   * A resolution per input id (keys exactly as given). Malformed ids are
   * `not_found` without a request; a failed request makes each id of its chunk
   * `failed`. Chunks go one after the other (callers wanting parallel requests
   * split the ids themselves, as UserBatcher does). Never rejects.
   */
  async lookupMany(ids: readonly string[], options: CallOptions = {}): Promise<Map<string, Resolution>> {
    const byNormalized = new Map<string, string[]>();
    const result = new Map<string, Resolution>();
    for (const raw of ids) {
      const id = normalizeUserId(raw);
      if (id === undefined) result.set(raw, NOT_FOUND);
      else byNormalized.set(id, [...(byNormalized.get(id) ?? []), raw]);
    }
    const unique = [...byNormalized.keys()];
    for (let i = 0; i < unique.length; i += this.#chunkSize) {
      const chunk = unique.slice(i, i + this.#chunkSize);
      // A turn the caller took from the rate limiter covers the first request only.
      const resolved = await this.#lookupChunk(chunk, i === 0 ? options : { ...options, admitted: false });
      for (const id of chunk) {
        for (const raw of byNormalized.get(id) ?? []) result.set(raw, resolved.get(id) ?? NOT_FOUND);
      }
    }
    return result;
  }

  async #lookupChunk(ids: readonly string[], options: CallOptions): Promise<Map<string, Resolution>> {
    let body: unknown;
    try {
      body = await this.#client.call(
        'getUsers',
        (apis) => apis.users.getUsers({ id: [...ids], state: 'any', pageSize: ids.length }),
        options,
      );
    } catch (err) {
      const throttled = err instanceof GenesysError && err.status === 429;
      return allFailed(ids, err instanceof Error ? err.message : 'look-up failed', throttled);
    }
    return resolutionsFrom(ids, body);
  }
}

function resolutionsFrom(ids: readonly string[], body: unknown): Map<string, Resolution> {
  const listing = (typeof body === 'object' && body !== null ? body : {}) as {
    entities?: unknown;
    total?: unknown;
    pageCount?: unknown;
  };
  if (!Array.isArray(listing.entities)) return allFailed(ids, 'getUsers: malformed response (no entities)');
  const wanted = new Set(ids);
  const result = new Map<string, Resolution>();
  const unreadable = new Set<string>();
  for (const entity of listing.entities as UserEntity[]) {
    if (!entity || typeof entity !== 'object') continue;
    const user = mapUser(entity);
    if (user && wanted.has(user.id)) result.set(user.id, Object.freeze({ status: 'found', user }));
    else if (!user && typeof entity.id === 'string') unreadable.add(entity.id.toLowerCase());
  }
  // Absence only proves non-existence when the answer was one complete page.
  const complete =
    !(typeof listing.pageCount === 'number' && listing.pageCount > 1) &&
    !(typeof listing.total === 'number' && listing.total > listing.entities.length);
  const absent: Resolution = complete ? NOT_FOUND : failed('getUsers: incomplete response (more than one page)');
  for (const id of ids) {
    if (!result.has(id)) result.set(id, unreadable.has(id) ? failed('getUsers: unreadable user record') : absent);
  }
  return result;
}

function allFailed(ids: readonly string[], reason: string, throttled = false): Map<string, Resolution> {
  const resolution: Resolution = throttled ? Object.freeze({ status: 'failed', reason, throttled: true }) : failed(reason);
  return new Map(ids.map((id) => [id, resolution]));
}

function failed(reason: string): Resolution {
  return Object.freeze({ status: 'failed', reason });
}
