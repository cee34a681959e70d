import { apiErrors } from '../api-error';
import type { EffectiveGrant, GrantKey, OrgStore } from '../org/store';
import { booleanQuery, requireArray, requireObject, requireString } from '../validate';
import type { ApiRoute, RouteDeps } from './route-types';

/**
 * Role grants of subjects (users and groups). As in Genesys, a user's subject
 * lists the grants it inherits from its groups too, each with `subjectId` set
 * to the group's id (the user's own grants carry the user's id): that is how a
 * client tells them apart. Without `includeDuplicates=true`, a role+division
 * held both directly and through a group is listed once, as the user's own.
 * `bulkremove` on a user removes only its own grants; inherited ones stay.
 * ASSUMPTION: `bulkremove` of a grant the subject does not hold answers 204
 * and changes nothing.
 */
export function authorizationRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  const subject = (id: string) => {
    const key = id.toLowerCase();
    const user = store.users.get(key);
    if (user) return { id: key, name: user.name, isUser: true };
    const group = store.groups.get(key);
    if (group) return { id: key, name: group.name, isUser: false };
    throw apiErrors.notFound('The requested subject could not be found.');
  };
  const changeGrants = (apply: (subjectId: string, grant: GrantKey) => void): ApiRoute['handler'] => ({ params, body }) => {
    const { id } = subject(params.id);
    const grants = parseGrants(store, body);
    for (const grant of grants) apply(id, grant);
    return { status: 204 };
  };
  return [
    {
      method: 'GET',
      pattern: '/api/v2/authorization/subjects/{id}',
      handler: ({ params, query }) => {
        const { id, name, isUser } = subject(params.id);
        const includeDuplicates = booleanQuery(query.get('includeDuplicates'), false, 'includeDuplicates');
        const grants: EffectiveGrant[] = isUser ? store.effectiveGrants(id) : store.grantsOf(id).map((g) => ({ ...g, subjectId: id }));
        const listed = includeDuplicates ? grants : dedupe(grants);
        return {
          status: 200,
          body: { id, name, grants: listed.map((g) => grantJson(store, g)), version: 1, selfUri: `/api/v2/authorization/subjects/${id}` },
        };
      },
    },
    { method: 'POST', pattern: '/api/v2/authorization/subjects/{id}/bulkremove', handler: changeGrants((id, g) => store.removeGrant(id, g)) },
    { method: 'POST', pattern: '/api/v2/authorization/subjects/{id}/bulkadd', handler: changeGrants((id, g) => store.addGrant(id, g)) },
  ];
}

/** `{grants:[{roleId, divisionId}]}`; an unknown role or division is a 400 before anything changes. */
function parseGrants(store: OrgStore, body: unknown): GrantKey[] {
  return requireArray(requireObject(body).grants, 500, 'grants').map((value) => {
    const input = requireObject(value, 'grant');
    const grant = { roleId: requireString(input, 'roleId').toLowerCase(), divisionId: requireString(input, 'divisionId').toLowerCase() };
    if (!store.roles.has(grant.roleId)) throw apiErrors.badRequest(`Unknown role id '${grant.roleId}'.`);
    if (!store.divisions.has(grant.divisionId)) throw apiErrors.badRequest(`Unknown division id '${grant.divisionId}'.`);
    return grant;
  });
}

function dedupe(grants: EffectiveGrant[]): EffectiveGrant[] {
  const seen = new Set<string>();
  return grants.filter((g) => {
    const key = `${g.roleId}/${g.divisionId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function grantJson(store: OrgStore, grant: EffectiveGrant): Record<string, unknown> {
  const division = store.divisions.get(grant.divisionId);
  return {
    subjectId: grant.subjectId,
    division: {
      id: grant.divisionId,
      name: division?.name,
      description: '',
      homeDivision: division?.homeDivision ?? false,
      selfUri: `/api/v2/authorization/divisions/${grant.divisionId}`,
    },
    role: {
      id: grant.roleId,
      name: store.roles.get(grant.roleId)?.name,
      default: false,
      selfUri: `/api/v2/authorization/roles/${grant.roleId}`,
    },
    grantMadeAt: '2025-01-06T09:00:00.000Z',
  };
}
