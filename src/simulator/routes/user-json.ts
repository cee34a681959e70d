import type { OrgStore, UserRecord } from '../org/store';

/** A division reference as Genesys embeds it. */
export function divisionRef(store: OrgStore, divisionId: string): { id: string; name: string; selfUri: string } {
  return {
    id: divisionId,
    name: store.divisions.get(divisionId)?.name ?? '',
    selfUri: `/api/v2/authorization/divisions/${divisionId}`,
  };
}

/** The presence definition reference Genesys embeds in presences. */
export function presenceRef(store: OrgStore, definitionId: string): { id: string; systemPresence?: string; selfUri: string } {
  return {
    id: definitionId,
    systemPresence: store.presenceDefinitions.find((p) => p.id === definitionId)?.systemPresence,
    selfUri: `/api/v2/presence/definitions/${definitionId}`,
  };
}

/** The presence of a user, as `GET /api/v2/users/{id}/presences/purecloud` returns it. */
export function presenceJson(store: OrgStore, user: UserRecord): Record<string, unknown> {
  return {
    source: 'PURECLOUD',
    primary: true,
    presenceDefinition: presenceRef(store, user.presence.definitionId),
    message: user.presence.message,
    modifiedDate: user.presence.modifiedDate,
    selfUri: `/api/v2/users/${user.id}/presences/purecloud`,
  };
}

/** The routing status of a user. */
export function routingStatusJson(user: UserRecord): Record<string, unknown> {
  return { userId: user.id, status: user.routingStatus.status, startTime: user.routingStatus.startTime };
}

/**
 * The User JSON. `expand` adds `dateLastLogin`, `presence`, `routingStatus`
 * and `groups` when asked for; other expansions are accepted and ignored.
 */
export function userJson(store: OrgStore, user: UserRecord, expand: readonly string[] = []): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: user.id,
    name: user.name,
    division: divisionRef(store, user.divisionId),
    chat: { jabberId: `${user.id.replace(/-/g, '')}@demo.orgspan.example` },
    department: user.department,
    email: user.email,
    primaryContactInfo: [{ address: user.email, mediaType: 'EMAIL', type: 'PRIMARY' }],
    addresses: [],
    state: user.state,
    title: user.title,
    username: user.username,
    images: [],
    version: user.version,
    acdAutoAnswer: false,
    selfUri: `/api/v2/users/${user.id}`,
  };
  if (user.managerId) json.manager = { id: user.managerId, selfUri: `/api/v2/users/${user.managerId}` };
  if (expand.includes('dateLastLogin') && user.dateLastLogin) json.dateLastLogin = user.dateLastLogin;
  if (expand.includes('presence')) json.presence = presenceJson(store, user);
  if (expand.includes('routingStatus')) json.routingStatus = routingStatusJson(user);
  if (expand.includes('groups')) {
    json.groups = store.groupsOf(user.id).map((g) => ({ id: g.id, name: g.name, selfUri: `/api/v2/groups/${g.id}` }));
  }
  return json;
}

/** The UserState JSON (`GET/PUT /api/v2/users/{id}/state`). */
export function userStateJson(user: UserRecord): Record<string, unknown> {
  return {
    state: user.state,
    version: user.version,
    stateChangeReason: user.stateChangeReason,
    stateChangeDate: user.stateChangeDate,
  };
}
