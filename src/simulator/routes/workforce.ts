import { apiErrors } from '../api-error';
import { requireArray, requireObject } from '../validate';
import { requireUser } from './lookup';
import type { ApiRoute, RouteDeps } from './route-types';

/**
 * Workforce management units of agents (`AgentManagementUnitReference`,
 * `MoveAgentsRequest`/`MoveAgentsResponse` in the SDK).
 *
 * ASSUMPTIONS: an agent in no management unit answers 404 on the look-up;
 * `POST /api/v2/workforcemanagement/agents` without a destination removes
 * the agents from their unit; it answers 200 with `result: "Success"` per
 * user (Genesys may process the move asynchronously; the simulator applies it
 * at once); an unknown destination is a 400.
 */
export function workforceRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  return [
    {
      method: 'GET',
      pattern: '/api/v2/workforcemanagement/agents/{agentId}/managementunit',
      handler: ({ params }) => {
        const user = requireUser(store, params.agentId);
        if (!user.managementUnitId) throw apiErrors.notFound('The agent is not in a management unit.');
        return {
          status: 200,
          body: {
            user: { id: user.id, selfUri: `/api/v2/users/${user.id}` },
            managementUnit: { id: user.managementUnitId, selfUri: `/api/v2/workforcemanagement/managementunits/${user.managementUnitId}` },
          },
        };
      },
    },
    {
      method: 'POST',
      pattern: '/api/v2/workforcemanagement/agents',
      handler: ({ body }) => {
        const input = requireObject(body);
        const userIds = requireArray(input.userIds, 100, 'userIds').map((v) => String(v).toLowerCase());
        const destination = typeof input.destinationManagementUnitId === 'string' ? input.destinationManagementUnitId.toLowerCase() : undefined;
        if (destination && !store.managementUnits.has(destination)) throw apiErrors.badRequest(`Unknown management unit '${destination}'.`);
        const users = userIds.map((id) => requireUser(store, id));
        for (const user of users) user.managementUnitId = destination;
        return {
          status: 200,
          body: {
            ...(destination ? { destinationManagementUnit: { id: destination } } : {}),
            results: users.map((u) => ({ user: { id: u.id, selfUri: `/api/v2/users/${u.id}` }, result: 'Success' })),
          },
        };
      },
    },
  ];
}
