import type { CallOptions } from '../../directory/genesys/genesysClient';
import { GenesysError } from '../../directory/genesys/errors';
import type { GenesysCaller } from '../../directory/lookup/userLookup';
import type { UserEntity } from '../../directory/lookup/mapUser';
import type { ProficiencyAssignment, RoleGrant } from '../snapshot';

/** Most skills or languages Genesys takes in one bulk call. */
export const MAX_BULK_ASSIGNMENTS = 50;
/** Grants sent per bulkadd/bulkremove call. */
export const MAX_GRANTS_PER_CALL = 100;

/** How a removal went: `false` when Genesys said the thing was already gone (404). */
export type Removed = boolean;

/**
 * The changes a run makes, each one SDK call (or one per chunk). None of
 * their operation names starts with `get`. Removing something already gone
 * answers 404 in Genesys: that is reported as `false`, not thrown, so a
 * re-run (resume) of a half-done step goes through. Other failures reject
 * with the client's GenesysError.
 */
export class UserWrites {
  constructor(
    private readonly client: GenesysCaller,
    private readonly call: CallOptions,
  ) {}

  async setRoutingStatus(userId: string, status: 'OFF_QUEUE' | 'IDLE'): Promise<void> {
    await this.client.call('putUserRoutingstatus', (apis) => apis.users.putUserRoutingstatus(userId, { status }), this.call);
  }

  async setPresence(userId: string, definitionId: string): Promise<void> {
    await this.client.call('patchUserPresencesPurecloud', (apis) => apis.presence.patchUserPresencesPurecloud(userId, { presenceDefinition: { id: definitionId } }), this.call);
  }

  /** Removes the user's direct membership (`POST .../members?delete=true`); group memberships stay. */
  removeFromQueue(queueId: string, userId: string): Promise<Removed> {
    return goneIs404(this.client.call('postRoutingQueueMembers', (apis) => apis.routing.postRoutingQueueMembers(queueId, [{ id: userId }], { _delete: true }), this.call));
  }

  async addToQueue(queueId: string, userId: string): Promise<void> {
    await this.client.call('postRoutingQueueMembers', (apis) => apis.routing.postRoutingQueueMembers(queueId, [{ id: userId }]), this.call);
  }

  async setQueueJoined(userId: string, queueId: string, joined: boolean): Promise<void> {
    await this.client.call('patchUserQueue', (apis) => apis.users.patchUserQueue(queueId, userId, { joined }), this.call);
  }

  removeSkill(userId: string, skillId: string): Promise<Removed> {
    return goneIs404(this.client.call('deleteUserRoutingskill', (apis) => apis.users.deleteUserRoutingskill(userId, skillId), this.call));
  }

  removeLanguage(userId: string, languageId: string): Promise<Removed> {
    return goneIs404(this.client.call('deleteUserRoutinglanguage', (apis) => apis.users.deleteUserRoutinglanguage(userId, languageId), this.call));
  }

  /** Adds (or sets the proficiency of) skills without touching the others (`PATCH .../routingskills/bulk`). */
  async addSkills(userId: string, skills: readonly ProficiencyAssignment[]): Promise<void> {
    for (const chunk of chunks(skills, MAX_BULK_ASSIGNMENTS)) {
      const body = chunk.map((s) => ({ id: s.id, proficiency: s.proficiency }));
      await this.client.call('patchUserRoutingskillsBulk', (apis) => apis.users.patchUserRoutingskillsBulk(userId, body), this.call);
    }
  }

  async addLanguages(userId: string, languages: readonly ProficiencyAssignment[]): Promise<void> {
    for (const chunk of chunks(languages, MAX_BULK_ASSIGNMENTS)) {
      const body = chunk.map((l) => ({ id: l.id, proficiency: l.proficiency }));
      await this.client.call('patchUserRoutinglanguagesBulk', (apis) => apis.users.patchUserRoutinglanguagesBulk(userId, body), this.call);
    }
  }

  /** Removes the user's own grants; Genesys leaves inherited ones alone. */
  async removeGrants(userId: string, grants: readonly RoleGrant[]): Promise<void> {
    for (const chunk of chunks(grants, MAX_GRANTS_PER_CALL)) {
      const body = { grants: chunk.map((g) => ({ roleId: g.roleId, divisionId: g.divisionId })) };
      await this.client.call('postAuthorizationSubjectBulkremove', (apis) => apis.authorization.postAuthorizationSubjectBulkremove(userId, body), this.call);
    }
  }

  async addGrants(userId: string, grants: readonly RoleGrant[]): Promise<void> {
    for (const chunk of chunks(grants, MAX_GRANTS_PER_CALL)) {
      const body = { grants: chunk.map((g) => ({ roleId: g.roleId, divisionId: g.divisionId })) };
      await this.client.call('postAuthorizationSubjectBulkadd', (apis) => apis.authorization.postAuthorizationSubjectBulkadd(userId, body), this.call);
    }
  }

  /** `PATCH /api/v2/users/{id}` `{state, version}`; resolves with the updated user entity. */
  async patchState(userId: string, state: 'active' | 'inactive', version: number): Promise<UserEntity> {
    return (await this.client.call('patchUser', (apis) => apis.users.patchUser(userId, { state, version }), this.call)) as UserEntity;
  }

  /** `PUT /api/v2/users/{id}/state` `{state, version, stateChangeReason}`; resolves with the new state and version. */
  async putState(userId: string, state: 'active' | 'inactive', version: number, reason: string): Promise<{ state?: string; version?: number }> {
    return (await this.client.call('putUserState', (apis) => apis.users.putUserState(userId, { state, version, stateChangeReason: reason }), this.call)) as {
      state?: string;
      version?: number;
    };
  }

  /** `DELETE /api/v2/users/{id}/station/associatedstation`: frees the phone the user is logged in on. */
  clearAssociatedStation(userId: string): Promise<Removed> {
    return goneIs404(this.client.call('deleteUserStationAssociatedstation', (apis) => apis.users.deleteUserStationAssociatedstation(userId), this.call));
  }

  /** `DELETE /api/v2/users/{id}/station/defaultstation`: the phone is no longer given to the user on log-in. */
  clearDefaultStation(userId: string): Promise<Removed> {
    return goneIs404(this.client.call('deleteUserStationDefaultstation', (apis) => apis.users.deleteUserStationDefaultstation(userId), this.call));
  }

  async setDefaultStation(userId: string, stationId: string): Promise<void> {
    await this.client.call('putUserStationDefaultstationStationId', (apis) => apis.users.putUserStationDefaultstationStationId(userId, stationId), this.call);
  }

  /** `DELETE /api/v2/groups/{groupId}/members?ids=userId`. */
  removeFromGroup(groupId: string, userId: string): Promise<Removed> {
    return goneIs404(this.client.call('deleteGroupMembers', (apis) => apis.groups.deleteGroupMembers(groupId, userId), this.call));
  }

  /** `POST /api/v2/groups/{groupId}/members {memberIds}`. */
  async addToGroup(groupId: string, userId: string): Promise<void> {
    await this.client.call('postGroupMembers', (apis) => apis.groups.postGroupMembers(groupId, { memberIds: [userId] }), this.call);
  }

  /** `POST /api/v2/authorization/divisions/{divisionId}/objects/USER [userId]`. */
  async moveToDivision(divisionId: string, userId: string): Promise<void> {
    await this.client.call('postAuthorizationDivisionObject', (apis) => apis.authorization.postAuthorizationDivisionObject(divisionId, 'USER', [userId]), this.call);
  }

  /**
   * `POST /api/v2/workforcemanagement/agents {userIds, destinationManagementUnitId?}`:
   * without a destination the agent leaves their management unit.
   */
  async moveToManagementUnit(userId: string, managementUnitId: string | undefined): Promise<void> {
    const body = { userIds: [userId], ...(managementUnitId ? { destinationManagementUnitId: managementUnitId } : {}) };
    await this.client.call('postWorkforcemanagementAgents', (apis) => apis.workforceManagement.postWorkforcemanagementAgents(body), this.call);
  }

  /** `DELETE /api/v2/tokens/{userId}`: ends every session of the user. */
  revokeSessions(userId: string): Promise<Removed> {
    return goneIs404(this.client.call('deleteToken', (apis) => apis.tokens.deleteToken(userId), this.call));
  }
}

async function goneIs404(call: Promise<unknown>): Promise<Removed> {
  try {
    await call;
    return true;
  } catch (err) {
    if (err instanceof GenesysError && err.status === 404) return false;
    throw err;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
