import { apiErrors } from '../api-error';
import { takeVersionConflict } from '../faults';
import type { UserRecord } from '../org/store';
import { oneOf, requireObject } from '../validate';
import { requireUser } from './lookup';
import type { ApiRoute, RouteDeps } from './route-types';
import { userJson, userStateJson } from './user-json';

/** Reasons `PUT /api/v2/users/{id}/state` accepts. */
export const STATE_CHANGE_REASONS = ['Voluntary', 'Seasonal', 'Leave', 'Performance', 'Conduct', 'Unknown'] as const;

/** Fields PATCH can change, besides `state`. */
const EDITABLE = ['name', 'email', 'title', 'department', 'username'] as const;
/** Fields a PATCH body may carry without counting as a change. */
const IDENTITY = ['version', 'id', 'selfUri'];

/** Routes that change users: PATCH, state, soft delete. */
export function userWriteRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  const stamp = () => deps.now().toISOString();
  /** The forced-conflict fault (state changes only), then the optimistic-concurrency check. */
  const checkVersion = (user: UserRecord, version: unknown, required: boolean, stateChange: boolean) => {
    const forced = stateChange ? takeVersionConflict(deps.faults) : undefined;
    if (forced !== undefined) throw apiErrors.versionConflictAs(forced);
    if (version === undefined && !required) return;
    if (typeof version !== 'number' || !Number.isInteger(version)) throw apiErrors.badRequest("The field 'version' is required.");
    if (version !== user.version) throw apiErrors.versionConflict();
  };
  /**
   * Genesys' newer help page: making a user inactive removes the roles
   * assigned to the user, and reactivation does not restore them (group roles
   * apply again because they are the group's). Switchable, as the older page
   * says everything stays.
   */
  const setState = (user: UserRecord, state: 'active' | 'inactive') => {
    if (state === 'inactive' && user.state !== 'inactive' && deps.behaviour.inactiveRemovesRoleGrants) store.removeOwnGrants(user.id);
    user.state = state;
  };
  return [
    {
      method: 'PATCH',
      pattern: '/api/v2/users/{id}',
      handler: ({ params, body }) => {
        const user = requireUser(store, params.id);
        const patch = requireObject(body);
        if (typeof patch.version !== 'number') throw apiErrors.badRequest("The field 'version' is required.");
        if ('state' in patch) {
          const state = oneOf(String(patch.state), ['active', 'inactive'] as const, 'active', 'state');
          const others = Object.keys(patch).filter(
            (k) => k !== 'state' && !IDENTITY.includes(k) && patch[k] !== (user as unknown as Record<string, unknown>)[k],
          );
          if (others.length > 0) {
            throw apiErrors.badRequest(`When 'state' is present it must be the only field changed; also changed: ${others.join(', ')}.`);
          }
          checkVersion(user, patch.version, true, true);
          if (user.state !== state) user.stateChangeDate = stamp();
          setState(user, state);
        } else {
          // A deleted user can only be restored (state present), not edited.
          if (user.state === 'deleted') throw apiErrors.userNotFound();
          checkVersion(user, patch.version, true, false);
          for (const field of EDITABLE) {
            if (typeof patch[field] === 'string') user[field] = patch[field] as string;
          }
        }
        user.version += 1;
        return { status: 200, body: userJson(store, user) };
      },
    },
    {
      method: 'GET',
      pattern: '/api/v2/users/{id}/state',
      handler: ({ params }) => ({ status: 200, body: userStateJson(requireUser(store, params.id)) }),
    },
    {
      method: 'PUT',
      pattern: '/api/v2/users/{id}/state',
      handler: ({ params, body }) => {
        const user = requireUser(store, params.id);
        const input = requireObject(body);
        const state = oneOf(asText(input.state), ['active', 'inactive'] as const, 'active', 'state');
        if (input.state === undefined) throw apiErrors.badRequest("The field 'state' is required.");
        const reason = input.stateChangeReason === undefined ? undefined : oneOf(asText(input.stateChangeReason), STATE_CHANGE_REASONS, 'Unknown', 'stateChangeReason');
        checkVersion(user, input.version, false, true);
        setState(user, state);
        user.stateChangeReason = reason;
        user.stateChangeDate = stamp();
        user.version += 1;
        return { status: 200, body: userStateJson(user) };
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/v2/users/{id}',
      handler: ({ params }) => {
        const user = requireUser(store, params.id);
        if (user.state === 'deleted') throw apiErrors.userNotFound();
        store.softDelete(user.id, stamp());
        return { status: 200, body: {} };
      },
    },
  ];
}

function asText(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}
