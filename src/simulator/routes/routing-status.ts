import { oneOf, requireObject } from '../validate';
import { requireUser } from './lookup';
import type { ApiRoute, RouteDeps } from './route-types';
import { routingStatusJson } from './user-json';

/** Routing statuses a client may set; the others are reached by taking interactions. */
export const SETTABLE_ROUTING_STATUSES = ['OFF_QUEUE', 'IDLE'] as const;

/** `GET/PUT /api/v2/users/{id}/routingstatus`. */
export function routingStatusRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  return [
    {
      method: 'GET',
      pattern: '/api/v2/users/{id}/routingstatus',
      handler: ({ params }) => ({ status: 200, body: routingStatusJson(requireUser(store, params.id)) }),
    },
    {
      method: 'PUT',
      pattern: '/api/v2/users/{id}/routingstatus',
      handler: ({ params, body }) => {
        const user = requireUser(store, params.id);
        const raw = requireObject(body).status;
        const status = oneOf(raw === undefined ? 'missing' : String(raw), SETTABLE_ROUTING_STATUSES, 'OFF_QUEUE', 'status');
        if (user.routingStatus.status !== status) user.routingStatus = { status, startTime: deps.now().toISOString() };
        return { status: 200, body: routingStatusJson(user) };
      },
    },
  ];
}
