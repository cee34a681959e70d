import { apiErrors } from '../api-error';
import type { PresenceDefinitionRecord } from '../org/store';
import { requireObject } from '../validate';
import { requireUser } from './lookup';
import type { ApiRoute, RouteDeps } from './route-types';
import { presenceJson } from './user-json';

/** Presence definitions and users' Genesys Cloud presence. */
export function presenceRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  return [
    {
      method: 'GET',
      pattern: '/api/v2/presence/definitions',
      handler: () => ({
        status: 200,
        body: {
          total: store.presenceDefinitions.length,
          entities: store.presenceDefinitions.map(definitionJson),
          selfUri: '/api/v2/presence/definitions',
        },
      }),
    },
    {
      method: 'GET',
      pattern: '/api/v2/presence/definitions/{definitionId}',
      handler: ({ params }) => {
        const definition = store.presenceDefinitions.find((p) => p.id === params.definitionId.toLowerCase());
        if (!definition) throw apiErrors.notFound('The requested presence definition could not be found.');
        return { status: 200, body: definitionJson(definition) };
      },
    },
    {
      method: 'GET',
      pattern: '/api/v2/users/{id}/presences/purecloud',
      handler: ({ params }) => ({ status: 200, body: presenceJson(store, requireUser(store, params.id)) }),
    },
    {
      method: 'PATCH',
      pattern: '/api/v2/users/{id}/presences/purecloud',
      handler: ({ params, body }) => {
        const user = requireUser(store, params.id);
        const input = requireObject(body);
        const ref = input.presenceDefinition as { id?: unknown } | undefined;
        const id = typeof ref?.id === 'string' ? ref.id.toLowerCase() : '';
        if (!store.presenceDefinitions.some((p) => p.id === id)) {
          throw apiErrors.badRequest("The field 'presenceDefinition.id' must name an existing presence definition.");
        }
        user.presence = {
          definitionId: id,
          message: typeof input.message === 'string' ? input.message : user.presence.message,
          modifiedDate: deps.now().toISOString(),
        };
        return { status: 200, body: presenceJson(store, user) };
      },
    },
  ];
}

function definitionJson(definition: PresenceDefinitionRecord): Record<string, unknown> {
  return {
    id: definition.id,
    type: 'System',
    languageLabels: { en_US: definition.label },
    systemPresence: definition.systemPresence,
    divisionId: '*',
    deactivated: false,
    selfUri: `/api/v2/presence/definitions/${definition.id}`,
  };
}
