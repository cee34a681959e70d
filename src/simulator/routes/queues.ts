import { apiErrors } from '../api-error';
import type { OrgStore, QueueMembership, QueueRecord, UserRecord } from '../org/store';
import { pageOf, parsePaging } from '../paging';
import { booleanQuery, isUuid, listQuery, oneOf, requireArray, requireObject, requireString } from '../validate';
import { requireQueue, requireUser } from './lookup';
import type { ApiRoute, RouteDeps } from './route-types';
import { divisionRef } from './user-json';

/** Most members one `POST /api/v2/routing/queues/{queueId}/members` may add or remove. */
export const MAX_MEMBERS_PER_CALL = 100;

/** Largest page `GET /api/v2/routing/queues/{queueId}/members` serves (the SDK: "Max value is 100"). */
export const MAX_QUEUE_MEMBER_PAGE_SIZE = 100;

/**
 * Queue membership routes. Memberships by group (`memberBy: "group"`) follow
 * the group: removing the user from the queue leaves them in place.
 *
 * `GET /api/v2/users/{id}/queues` answers `UserQueue` objects: `joined` and
 * the queue's `memberGroups`, and no `memberBy` (SDK 262 index.d.ts). Only
 * `GET /api/v2/routing/queues/{queueId}/members` (`QueueMember`) says how a
 * user belongs to a queue.
 *
 * ASSUMPTIONS (no source says how Genesys answers these):
 * - `POST .../members?delete=true` for a user who is a member only through a
 *   group: 200, and nothing changes (the group membership stays);
 * - the same call with an unknown user id: 400 before anything changes;
 * - `DELETE .../members/{memberId}` for a group-derived member: 400; for a
 *   user who is no member: 404;
 * - a user who is a member both directly and through a group is listed once
 *   by the unfiltered member listing (as `user`), once under each filter.
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
      method: 'GET',
      pattern: '/api/v2/routing/queues/{queueId}/members',
      handler: ({ params, query }) => {
        const queue = requireQueue(store, params.queueId);
        const memberBy = query.has('memberBy') ? oneOf(query.get('memberBy'), ['user', 'group'] as const, 'user', 'memberBy') : undefined;
        const joined = query.has('joined') ? booleanQuery(query.get('joined'), true, 'joined') : undefined;
        const ids = listQuery(query, 'id').map((id) => id.toLowerCase());
        const paging = parsePaging(query, MAX_QUEUE_MEMBER_PAGE_SIZE);
        const members = [...queue.members]
          .flatMap(([userId, m]) => memberRows(userId, m, memberBy))
          .filter((row) => ids.length === 0 || ids.includes(row.userId))
          .filter((row) => joined === undefined || row.membership.joined === joined)
          .flatMap((row) => {
            const user = store.users.get(row.userId);
            return user ? [{ user, row }] : [];
          })
          .sort((a, b) => a.user.name.localeCompare(b.user.name) || a.user.id.localeCompare(b.user.id));
        const extra: Record<string, string> = {};
        if (memberBy) extra.memberBy = memberBy;
        if (joined !== undefined) extra.joined = String(joined);
        if (ids.length > 0) extra.id = ids.join(',');
        return { status: 200, body: memberListing(members, paging, `/api/v2/routing/queues/${queue.id}/members`, extra, store, queue) };
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

/** A UserQueue as Genesys lists it: the user's `joined` flag and the queue's member groups (not the user's), no `memberBy`. */
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
    memberGroups: queue.memberGroupIds.map((id) => ({ id, name: store.groups.get(id)?.name, type: 'GROUP' })),
    selfUri: `/api/v2/routing/queues/${queue.id}`,
  };
}

type MembershipRow = { userId: string; membership: QueueMembership; by: 'user' | 'group' };

function memberRows(userId: string, membership: QueueMembership, filter: 'user' | 'group' | undefined): MembershipRow[] {
  const direct = membership.direct ? [{ userId, membership, by: 'user' as const }] : [];
  const group = membership.viaGroups.size > 0 ? [{ userId, membership, by: 'group' as const }] : [];
  if (filter === 'user') return direct;
  if (filter === 'group') return group;
  return direct.length > 0 ? direct : group;
}

/**
 * The QueueMember listing: `entities`, `pageNumber`, `pageSize`, `firstUri`,
 * `selfUri`, `nextUri`, `previousUri` and no `total` or `pageCount`
 * (QueueMemberEntityListing in the SDK). ASSUMPTION: `nextUri` is given while
 * a further page holds members; clients page until an empty page anyway.
 */
function memberListing(
  members: readonly { user: UserRecord; row: MembershipRow }[],
  paging: { pageSize: number; pageNumber: number },
  path: string,
  extra: Record<string, string>,
  store: OrgStore,
  queue: QueueRecord,
): Record<string, unknown> {
  const { pageSize, pageNumber } = paging;
  const uri = (n: number) => `${path}?${new URLSearchParams({ pageSize: String(pageSize), pageNumber: String(n), ...extra })}`.replace(/%2C/g, ',');
  const entities = members.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(({ user, row }) => ({
    id: user.id,
    name: user.name,
    user: { id: user.id, name: user.name, division: divisionRef(store, user.divisionId), state: user.state, selfUri: `/api/v2/users/${user.id}` },
    ringNumber: 1,
    joined: row.membership.joined,
    memberBy: row.by,
    routingStatus: { userId: user.id, status: user.routingStatus.status, startTime: user.routingStatus.startTime },
    selfUri: `/api/v2/routing/queues/${queue.id}/members/${user.id}`,
  }));
  const listing: Record<string, unknown> = { entities, pageSize, pageNumber, firstUri: uri(1), selfUri: uri(pageNumber) };
  if (pageNumber * pageSize < members.length) listing.nextUri = uri(pageNumber + 1);
  if (pageNumber > 1) listing.previousUri = uri(pageNumber - 1);
  return listing;
}
