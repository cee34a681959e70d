import { apiErrors } from '../api-error';
import type { UserRecord } from '../org/store';
import { pageOf, parsePaging } from '../paging';
import type { UserState } from '../../directory/types';
import { isUuid, listQuery, oneOf } from '../validate';
import { requireUser } from './lookup';
import type { ApiRoute, RouteDeps } from './route-types';
import { userJson } from './user-json';

/** Largest page `GET /api/v2/users` and `/users/query` serve. */
export const MAX_USER_PAGE_SIZE = 500;
/** Listing `state=inactive` cannot page past this many users (a real Genesys limit). */
export const INACTIVE_LISTING_CAP = 10_000;

type ListState = UserState | 'any';
const LIST_STATES: readonly ListState[] = ['active', 'inactive', 'deleted', 'any'];

/** Read routes for users: single, bulk list, cursor query, external ids. */
export function userReadRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  const expandOf = (query: URLSearchParams) => listQuery(query, 'expand');
  return [
    {
      method: 'GET',
      pattern: '/api/v2/users/{id}',
      // state=active (default) finds active and inactive users; state=deleted finds only deleted ones.
      handler: ({ params, query }) => {
        const state = oneOf(query.get('state'), ['active', 'deleted'] as const, 'active', 'state');
        const user = isUuid(params.id) ? store.users.get(params.id.toLowerCase()) : undefined;
        const visible = user && (state === 'deleted' ? user.state === 'deleted' : user.state !== 'deleted');
        if (!user || !visible) throw apiErrors.userNotFound();
        return { status: 200, body: userJson(store, user, expandOf(query)) };
      },
    },
    {
      method: 'GET',
      pattern: '/api/v2/users',
      handler: ({ query }) => {
        const ids = listQuery(query, 'id');
        if (ids.length > 0) deps.recordBulkIds(ids);
        const state = oneOf(query.get('state'), LIST_STATES, 'active', 'state');
        const paging = parsePaging(query, MAX_USER_PAGE_SIZE);
        if (state === 'inactive' && paging.pageNumber * paging.pageSize > INACTIVE_LISTING_CAP) {
          throw apiErrors.badRequest(`Listing inactive users is limited to the first ${INACTIVE_LISTING_CAP} results; use /api/v2/users/query.`);
        }
        const candidates = ids.length > 0 ? ids.map((id) => store.users.get(id.toLowerCase())) : [...store.users.values()];
        const users = sortUsers(candidates.filter((u): u is UserRecord => !!u && matchesState(u, state)), query);
        const extra: Record<string, string> = {};
        if (ids.length > 0) extra.id = ids.join(',');
        if (query.has('state')) extra.state = state;
        const listing = pageOf(users, paging, '/api/v2/users', extra);
        return { status: 200, body: { ...listing, entities: listing.entities.map((u) => userJson(store, u, expandOf(query))) } };
      },
    },
    {
      method: 'GET',
      pattern: '/api/v2/users/query',
      handler: ({ query }) => {
        const state = oneOf(query.get('state'), LIST_STATES, 'active', 'state');
        const { pageSize } = parsePaging(query, MAX_USER_PAGE_SIZE);
        const after = decodeCursor(query.get('cursor'));
        const users = sortUsers([...store.users.values()].filter((u) => matchesState(u, state)), query);
        const descending = query.get('sortOrder')?.toUpperCase() === 'DESC';
        const isPast = (u: UserRecord) => (descending ? sortKey(u) < after! : sortKey(u) > after!);
        const start = after === undefined ? 0 : users.findIndex(isPast);
        const page = start < 0 ? [] : users.slice(start, start + pageSize);
        const more = start >= 0 && start + pageSize < users.length;
        const body: Record<string, unknown> = {
          entities: page.map((u) => userJson(store, u, expandOf(query))),
          selfUri: `/api/v2/users/query?${query}`,
        };
        if (more) {
          const cursor = encodeCursor(sortKey(page[page.length - 1]));
          body.cursor = cursor;
          body.nextUri = `/api/v2/users/query?${new URLSearchParams({ cursor, pageSize: String(pageSize), state })}`;
        }
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      pattern: '/api/v2/users/externalid/{authorityName}/{externalKey}',
      // Exact, case-sensitive match; deleted users are not found this way.
      handler: ({ params, query }) => {
        const found = store.externalIds.find((e) => e.authorityName === params.authorityName && e.externalKey === params.externalKey);
        const user = found && store.users.get(found.userId);
        if (!user || user.state === 'deleted') throw apiErrors.userNotFound();
        return { status: 200, body: userJson(store, user, expandOf(query)) };
      },
    },
    {
      method: 'GET',
      pattern: '/api/v2/users/{id}/externalid',
      handler: ({ params }) => {
        const user = requireUser(store, params.id);
        const body = store.externalIds
          .filter((e) => e.userId === user.id)
          .map((e) => ({
            authorityName: e.authorityName,
            externalKey: e.externalKey,
            selfUri: `/api/v2/users/${user.id}/externalid/${encodeURIComponent(e.authorityName)}/${encodeURIComponent(e.externalKey)}`,
          }));
        return { status: 200, body };
      },
    },
  ];
}

function matchesState(user: UserRecord, state: ListState): boolean {
  return state === 'any' || user.state === state;
}

/** Users sorted by name, then id (`sortOrder=DESC` reverses), as Genesys sorts listings. */
function sortUsers(users: UserRecord[], query: URLSearchParams): UserRecord[] {
  const order = oneOf(query.get('sortOrder')?.toUpperCase(), ['ASC', 'DESC'] as const, 'ASC', 'sortOrder');
  const sorted = users.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return order === 'DESC' ? sorted.reverse() : sorted;
}

function sortKey(user: UserRecord): string {
  return `${user.name.toLowerCase()}\u0000${user.id}`;
}

// Keyset cursors: the sort key of the last user served, so changes between pages neither skip nor repeat users.
function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | null): string | undefined {
  if (cursor === null || cursor === '') return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key.includes('\u0000')) throw apiErrors.badRequest('The cursor is invalid.');
  return key;
}
