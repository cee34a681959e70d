import { apiErrors } from '../api-error';
import { isUuid, requireArray } from '../validate';
import type { ApiRoute, RouteDeps } from './route-types';

/**
 * `POST /api/v2/authorization/divisions/{divisionId}/objects/{objectType}`
 * with a JSON array of ids: moves objects into the division. The simulator
 * moves users only (`USER`). ASSUMPTIONS: 204 on success; the user's
 * `version` does not change; an unknown user id is a 400 before anything
 * moves; another object type is a 400.
 */
export function divisionRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  return [
    {
      method: 'POST',
      pattern: '/api/v2/authorization/divisions/{divisionId}/objects/{objectType}',
      handler: ({ params, body }) => {
        const division = store.divisions.get(params.divisionId.toLowerCase());
        if (!division) throw apiErrors.notFound('The requested division could not be found.');
        if (params.objectType !== 'USER') throw apiErrors.badRequest(`The simulator moves USER objects only, not ${params.objectType}.`);
        const ids = requireArray(body, 100).map((v) => String(v).toLowerCase());
        const unknown = ids.filter((id) => !isUuid(id) || !store.users.has(id));
        if (unknown.length > 0) throw apiErrors.badRequest(`Unknown user ids: ${unknown.join(', ')}.`);
        for (const id of ids) store.users.get(id)!.divisionId = division.id;
        return { status: 204 };
      },
    },
  ];
}
