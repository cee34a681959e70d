import { apiErrors } from '../api-error';
import type { OrgStore, QueueRecord } from '../org/store';
import { pageOf, parsePaging } from '../paging';
import { booleanQuery, isUuid, listQuery, requireArray, requireObject, requireString } from '../validate';
import { requireQueue, requireUser } from './lookup';
import type { ApiRoute, RouteDeps } from './route-types';
import { divisionRef } from './user-json';

/** Most members one `POST /api/v2/routing/queues/{queueId}/members` may add or remove. */
export const MAX_MEMBERS_PER_CALL = 100;

/**
 * Queue membership routes. Memberships by group (`memberBy: "group"`) follow
 * the group: removing the user from the queue leaves them in place (the bulk
 * call skips them; the single DELETE answers 400).
 */
export function queueRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  return [
    {
      method: 'GET',
      pattern: '/api/v2/users/{id}/queues',
      handler: ({ params, query }) => {
        const user = requireUser(store, params.id);
        const joined = booleanQuery(query.get('joined'), true, 'joined');
        const divisions = listQuery(query, 'divisionId');
        const queues = [...store.queues.values()]
          .filter((q) => q.members.get(user.id)?.joined === joined)
          .filter((q) => divisions.length === 0 || divisions.includes(q.divisionId))
          .sort((a, b) => a.name.localeCompare(b.name));
        const listing = pageOf(queues, parsePaging(query, 500), `/api/v2/users/${user.id}/queues`, { joined: String(joined) });
        return { status: 200, body: { ...listing, entities: listing.entities.map((q) => userQueueJson(store, q, user.id)) } };
      },
    },
    {
      method: 'PATCH',
      pattern: '/api/v2/users/{id}/queues/{queueId}',
      handler: ({ params, body }) => {
        const user = requireUser(store, params.id);
        const queue = requireQueue(store, params.queueId);
        const joined = requireObject(body).joined;
        if (typeof joined !== 'boolean') throw apiErrors.badRequest("The field 'joined' must be a boolean.");
        const membership = queue.members.get(user.id);
        if (!membership) throw apiErrors.notFound('The user is not a member of this queue.');
        membership.joined = joined;
        return { status: 200, body: userQueueJson(store, queue, user.id) };
      },
    },
    {
      method: 'POST',
      pattern: '/api/v2/routing/queues/{queueId}/members',
      handler: ({ params, query, body }) => {
        const queue = requireQueue(store, params.queueId);
        const remove = booleanQuery(query.get('delete'), false, 'delete');
        const ids = requireArray(body, MAX_MEMBERS_PER_CALL).map((m) => requireString(requireObject(m, 'member'), 'id').toLowerCase());
        // Validate everything before changing anything.
        const unknown = ids.filter((id) => !isUuid(id) || !store.users.has(id));
        if (unknown.length > 0) throw apiErrors.badRequest(`Unknown member ids: ${unknown.join(', ')}.`);
        for (const id of ids) store.setDirectMembership(queue.id, id, !remove);
        return { status: 200 };
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/v2/routing/queues/{queueId}/members/{memberId}',
      handler: ({ params }) => {
        const queue = requireQueue(store, params.queueId);
        const memberId = params.memberId.toLowerCase();
        const membership = queue.members.get(memberId);
        if (!membership) throw apiErrors.notFound('The user is not a member of this queue.');
        if (!membership.direct) throw apiErrors.badRequest('The member was added by a group and cannot be removed individually.');
        store.setDirectMembership(queue.id, memberId, false);
        return { status: 204 };
      },
    },
  ];
}

/** A UserQueue as Genesys lists it, plus `memberBy` (`user` or `group`) for this user. */
function userQueueJson(store: OrgStore, queue: QueueRecord, userId: string): Record<string, unknown> {
  const membership = queue.members.get(userId);
  const members = [...queue.members.values()];
  return {
    id: queue.id,
    name: queue.name,
    division: divisionRef(store, queue.divisionId),
    memberCount: members.length,
    userMemberCount: members.filter((m) => m.direct).length,
    joinedMemberCount: members.filter((m) => m.joined).length,
    joined: membership?.joined ?? false,
    memberBy: membership?.direct ? 'user' : 'group',
    memberGroups: queue.memberGroupIds.map((id) => ({ id, name: store.groups.get(id)?.name, type: 'GROUP' })),
    selfUri: `/api/v2/routing/queues/${queue.id}`,
  };
}
