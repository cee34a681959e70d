import { apiErrors } from '../api-error';
import type { UserRecord } from '../org/store';
import { requireArray, requireObject } from '../validate';
import type { ApiRoute, RouteDeps } from './route-types';
import { userJson } from './user-json';

const SEARCHABLE = ['email', 'username', 'name', 'id'] as const;

/**
 * `POST /api/v2/users/search` (`UserSearchRequest` -> `UsersSearchResponse`
 * `{total, pageCount, pageSize, pageNumber, types, results}`), for the
 * criteria this project sends: `EXACT` on `email`, `username`, `name` or `id`
 * (case-insensitive), all criteria must hold. Deleted users are not found.
 *
 * ASSUMPTION: Genesys' search index is eventually consistent (minutes); the
 * simulator answers from the current state, with no lag.
 */
export function userSearchRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  return [
    {
      method: 'POST',
      pattern: '/api/v2/users/search',
      handler: ({ body }) => {
        const request = requireObject(body);
        const criteria = requireArray(request.query, 10, 'query').map((c) => criterion(requireObject(c, 'criterion')));
        const pageSize = typeof request.pageSize === 'number' ? Math.min(100, Math.max(1, Math.floor(request.pageSize))) : 25;
        const pageNumber = typeof request.pageNumber === 'number' ? Math.max(1, Math.floor(request.pageNumber)) : 1;
        const found = [...store.users.values()]
          .filter((u) => u.state !== 'deleted' && criteria.every((c) => c(u)))
          .sort((a, b) => a.name.localeCompare(b.name));
        const results = found.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((u) => userJson(store, u));
        return { status: 200, body: { total: found.length, pageCount: Math.ceil(found.length / pageSize), pageSize, pageNumber, types: ['users'], results } };
      },
    },
  ];
}

function criterion(input: Record<string, unknown>): (user: UserRecord) => boolean {
  if (input.type !== 'EXACT') throw apiErrors.badRequest(`The simulator searches with type EXACT only, not '${String(input.type)}'.`);
  const fields = requireArray(input.fields, 5, 'fields').map(String);
  const bad = fields.filter((f) => !(SEARCHABLE as readonly string[]).includes(f));
  if (fields.length === 0 || bad.length > 0) throw apiErrors.badRequest(`Searchable fields: ${SEARCHABLE.join(', ')}.`);
  const values = (typeof input.value === 'string' ? [input.value] : Array.isArray(input.values) ? input.values.map(String) : []).map((v) => v.toLowerCase());
  if (values.length === 0) throw apiErrors.badRequest("A criterion needs 'value' or 'values'.");
  return (user) => fields.some((f) => values.includes(String(user[f as (typeof SEARCHABLE)[number]]).toLowerCase()));
}
