import type { CallOptions } from '../genesys/genesysClient';
import type { GenesysCaller } from '../lookup/userLookup';
import { mapUser, type UserEntity } from '../lookup/mapUser';
import type { GenesysUser } from '../types';

/** Largest page `GET /api/v2/users/query` serves. */
export const MAX_QUERY_PAGE_SIZE = 500;

/** One page of the org, as read. */
export interface UserPage {
  /** Users with a well-formed id and a known state. */
  readonly users: GenesysUser[];
  /** Entities left out because they were unreadable (no id, unknown state). */
  readonly skipped: number;
}

/**
 * Every user of the org, a page at a time, with
 * `GET /api/v2/users/query?state=any&pageSize=N&cursor=...` (the SDK's
 * `getUsersQuery`). Cursor paging, unlike the numbered pages of
 * `GET /api/v2/users`, has no 10,000-result cap for inactive users (shared
 * genesys-api.md), and its keyset cursor neither skips nor repeats users
 * changed between pages. `state=any` covers active, inactive and deleted
 * users in one pass. Pages are fetched one after the other; a failed call
 * (after the client's own retries) rejects with its GenesysError.
 */
export async function* queryAllUsers(client: GenesysCaller, pageSize: number, options: CallOptions = {}): AsyncGenerator<UserPage> {
  let cursor: string | undefined;
  do {
    const body = await client.call(
      'getUsersQuery',
      (apis) => apis.users.getUsersQuery({ pageSize, state: 'any', ...(cursor ? { cursor } : {}) }),
      options,
    );
    const listing = (typeof body === 'object' && body !== null ? body : {}) as { entities?: unknown; cursor?: unknown };
    if (!Array.isArray(listing.entities)) throw new Error('getUsersQuery: malformed response (no entities)');
    const users: GenesysUser[] = [];
    for (const entity of listing.entities as UserEntity[]) {
      const user = entity && typeof entity === 'object' ? mapUser(entity) : undefined;
      if (user) users.push(user);
    }
    yield { users, skipped: listing.entities.length - users.length };
    const next = typeof listing.cursor === 'string' && listing.cursor !== '' ? listing.cursor : undefined;
    // A cursor that does not move would page forever.
    if (next !== undefined && next === cursor) throw new Error('getUsersQuery: the cursor did not advance');
    cursor = next;
  } while (cursor !== undefined);
}
