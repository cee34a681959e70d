import { apiErrors } from '../api-error';
import type { OrgStore } from '../org/store';
import { requireUser } from './lookup';
import type { ApiRoute, RouteDeps } from './route-types';

/**
 * A user's stations (`UserStations` in the SDK): the one the user is logged
 * in on (`associatedStation`), the one they get on logging in
 * (`defaultStation`), the one in effect, and the last associated one.
 *
 * ASSUMPTIONS: deleting a station association the user does not have answers
 * 204 (nothing to do); putting an unknown station id answers 404.
 */
export function stationRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  const station = (id: string | undefined) => stationJson(store, id);
  return [
    {
      method: 'GET',
      pattern: '/api/v2/users/{id}/station',
      handler: ({ params }) => {
        const user = requireUser(store, params.id);
        const body: Record<string, unknown> = {};
        if (user.associatedStationId) body.associatedStation = station(user.associatedStationId);
        if (user.defaultStationId) body.defaultStation = station(user.defaultStationId);
        const effective = user.associatedStationId ?? user.defaultStationId;
        if (effective) body.effectiveStation = station(effective);
        return { status: 200, body };
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/v2/users/{id}/station/associatedstation',
      handler: ({ params }) => {
        requireUser(store, params.id).associatedStationId = undefined;
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/v2/users/{id}/station/defaultstation',
      handler: ({ params }) => {
        requireUser(store, params.id).defaultStationId = undefined;
        return { status: 204 };
      },
    },
    {
      method: 'PUT',
      pattern: '/api/v2/users/{id}/station/defaultstation/{stationId}',
      handler: ({ params }) => {
        const user = requireUser(store, params.id);
        user.defaultStationId = requireStation(store, params.stationId);
        return { status: 204 };
      },
    },
    {
      method: 'PUT',
      pattern: '/api/v2/users/{id}/station/associatedstation/{stationId}',
      handler: ({ params }) => {
        const user = requireUser(store, params.id);
        user.associatedStationId = requireStation(store, params.stationId);
        return { status: 204 };
      },
    },
  ];
}

function requireStation(store: OrgStore, id: string): string {
  const key = id.toLowerCase();
  if (!store.stations.has(key)) throw apiErrors.notFound('The requested station could not be found.');
  return key;
}

function stationJson(store: OrgStore, id: string | undefined): Record<string, unknown> | undefined {
  const record = id ? store.stations.get(id) : undefined;
  return record && { id: record.id, name: record.name, type: record.type };
}
