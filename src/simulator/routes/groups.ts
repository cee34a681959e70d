import { apiErrors } from '../api-error';
import type { OrgStore } from '../org/store';
import { isUuid, listQuery, requireArray, requireObject } from '../validate';
import type { ApiRoute, RouteDeps } from './route-types';

/** Most member ids one `DELETE /api/v2/groups/{groupId}/members?ids=` takes (genesys-api.md). */
export const MAX_GROUP_MEMBER_IDS = 50;

/**
 * Group membership. Leaving a group ends the queue memberships and grants the
 * user had through it (the store keeps that consistent).
 *
 * ASSUMPTIONS: both calls answer 202 with an empty JSON object (the SDK types
 * the answer as `object`); ids that are no members are ignored; an unknown
 * user id in `memberIds` is a 400 before anything changes.
 */
export function groupRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  return [
    {
      method: 'DELETE',
      pattern: '/api/v2/groups/{groupId}/members',
      handler: ({ params, query }) => {
        const group = requireGroup(store, params.groupId);
        const ids = listQuery(query, 'ids').map((id) => id.toLowerCase());
        if (ids.length === 0) throw apiErrors.badRequest("The query parameter 'ids' is required.");
        if (ids.length > MAX_GROUP_MEMBER_IDS) throw apiErrors.badRequest(`At most ${MAX_GROUP_MEMBER_IDS} ids per request.`);
        for (const id of ids) store.removeFromGroup(group.id, id);
        return { status: 202, body: {} };
      },
    },
    {
      method: 'POST',
      pattern: '/api/v2/groups/{groupId}/members',
      handler: ({ params, body }) => {
        const group = requireGroup(store, params.groupId);
        const ids = requireArray(requireObject(body).memberIds, MAX_GROUP_MEMBER_IDS, 'memberIds').map((v) => String(v).toLowerCase());
        const unknown = ids.filter((id) => !isUuid(id) || !store.users.has(id));
        if (unknown.length > 0) throw apiErrors.badRequest(`Unknown member ids: ${unknown.join(', ')}.`);
        for (const id of ids) store.addToGroup(group.id, id);
        return { status: 202, body: {} };
      },
    },
  ];
}

function requireGroup(store: OrgStore, id: string) {
  const group = store.groups.get(id.toLowerCase());
  if (!group) throw apiErrors.notFound('The requested group could not be found.');
  return group;
}
