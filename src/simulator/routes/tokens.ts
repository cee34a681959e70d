import { requireUser } from './lookup';
import type { ApiRoute, RouteDeps } from './route-types';

/** `DELETE /api/v2/tokens/{id}`: ends every session of the user (the simulator counts them). */
export function tokenRoutes(deps: RouteDeps): ApiRoute[] {
  return [
    {
      method: 'DELETE',
      pattern: '/api/v2/tokens/{id}',
      handler: ({ params }) => {
        requireUser(deps.store, params.id).activeSessions = 0;
        return { status: 204 };
      },
    },
  ];
}
