import { LRUCache } from 'lru-cache';
import type { Resolution } from '../../directory/types';
import { stringAttribute } from '../codec/index';
import type { StringAttribute } from '../codec/types';

/** Attribute names the enricher adds (the contract other tooling relies on). */
export const ENRICHMENT_KEYS = {
  fullName: 'user.full_name',
  userName: 'user.name',
  email: 'user.email',
  state: 'genesys.user.state',
  division: 'genesys.user.division',
  lookup: 'genesys.user.lookup',
} as const;

/** Every key above, for the codec's `watchedKeys`. */
export const ALL_ENRICHMENT_KEYS: readonly string[] = Object.values(ENRICHMENT_KEYS);

const NOT_FOUND: readonly StringAttribute[] = [stringAttribute(ENRICHMENT_KEYS.lookup, 'not_found')];
const FAILED: readonly StringAttribute[] = [stringAttribute(ENRICHMENT_KEYS.lookup, 'failed')];

/** Users whose encoded attributes are kept by default (see AttributeEncoder). */
export const DEFAULT_ENCODED_USERS = 10_000;

/**
 * Maps a resolution to the attributes to add, pre-encoded. A found user is
 * encoded once per cached resolution object (the cache hands out the same
 * object until it refreshes the entry), so the hot path only copies bytes.
 *
 * The encodings of the `maxUsers` most recently enriched users are kept, not
 * one per cached user: five encoded attributes (and the splicer's block of
 * them) cost about 1 KiB per user, several times the cache entry itself, and
 * a warmed-up cache holds the whole org while traffic names a small part of
 * it at a time. A user falling out is encoded again on its next span.
 */
export class AttributeEncoder {
  private readonly encoded: LRUCache<Resolution, readonly StringAttribute[]>;

  /** `maxUsers`: found users whose encodings are kept, least recently used dropped first. Default 10,000. */
  constructor(maxUsers = DEFAULT_ENCODED_USERS) {
    this.encoded = new LRUCache({ max: maxUsers });
  }

  /** Attributes for "not enriched: no such user" (also ids that cannot be Genesys ids). */
  readonly notFound = NOT_FOUND;
  /** Attributes for "not enriched: no answer in time". */
  readonly failed = FAILED;

  forResolution(resolution: Resolution | undefined): readonly StringAttribute[] {
    if (!resolution || resolution.status === 'failed') return FAILED;
    if (resolution.status === 'not_found') return NOT_FOUND;
    let attrs = this.encoded.get(resolution);
    if (!attrs) {
      attrs = encodeUser(resolution.user);
      this.encoded.set(resolution, attrs);
    }
    return attrs;
  }
}

function encodeUser(user: Extract<Resolution, { status: 'found' }>['user']): readonly StringAttribute[] {
  const out: StringAttribute[] = [];
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') out.push(stringAttribute(key, value));
  };
  add(ENRICHMENT_KEYS.fullName, user.name);
  add(ENRICHMENT_KEYS.userName, user.username);
  add(ENRICHMENT_KEYS.email, user.email);
  add(ENRICHMENT_KEYS.state, user.state);
  add(ENRICHMENT_KEYS.division, user.division?.name);
  return out;
}
