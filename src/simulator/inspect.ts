import type { OrgStore, RoutingStatusValue, UserRecord } from './org/store';
import type { SimulatedUser } from './types';

/** Everything the simulator holds about one user; for tests and `GET /__sim/users/{id}`. */
export interface UserInspection {
  readonly user: SimulatedUser;
  /** Logged-in sessions; `DELETE /api/v2/tokens/{id}` sets it to 0. */
  readonly activeSessions: number;
  readonly routingStatus: RoutingStatusValue;
  /** System presence name, e.g. `Offline`. */
  readonly systemPresence: string;
  readonly queues: readonly { id: string; name: string; memberBy: 'user' | 'group'; joined: boolean }[];
  readonly skills: readonly { id: string; name: string; proficiency: number }[];
  readonly languages: readonly { id: string; name: string; proficiency: number }[];
  /** `subjectId` is the user for its own grants, else the group the grant comes from. */
  readonly grants: readonly { roleId: string; roleName: string; divisionId: string; divisionName: string; subjectId: string }[];
  readonly groups: readonly { id: string; name: string }[];
  readonly externalIds: readonly { authorityName: string; externalKey: string }[];
  /** Station ids, when set. */
  readonly stations: { readonly associated?: string; readonly default?: string };
  /** The workforce management unit, when the user is in one. */
  readonly managementUnitId?: string;
}

/** The public view of a stored user. */
export function toSimulatedUser(store: OrgStore, user: UserRecord): SimulatedUser {
  return {
    id: user.id,
    name: user.name,
    username: user.username,
    email: user.email,
    state: user.state,
    division: { id: user.divisionId, name: store.divisions.get(user.divisionId)?.name ?? '' },
    version: user.version,
  };
}

/** A detached snapshot of a user and its assignments, or undefined for an unknown id. */
export function inspectUser(store: OrgStore, id: string): UserInspection | undefined {
  const user = store.users.get(id.toLowerCase());
  if (!user) return undefined;
  const named = (catalog: Map<string, { name: string }>, assigned: Map<string, number>) =>
    [...assigned].map(([itemId, proficiency]) => ({ id: itemId, name: catalog.get(itemId)?.name ?? '', proficiency }));
  return {
    user: toSimulatedUser(store, user),
    activeSessions: user.activeSessions,
    routingStatus: user.routingStatus.status,
    systemPresence: store.presenceDefinitions.find((p) => p.id === user.presence.definitionId)?.systemPresence ?? '',
    queues: [...store.queues.values()].flatMap((q) => {
      const m = q.members.get(user.id);
      return m ? [{ id: q.id, name: q.name, memberBy: m.direct ? ('user' as const) : ('group' as const), joined: m.joined }] : [];
    }),
    skills: named(store.skills, user.skills),
    languages: named(store.languages, user.languages),
    grants: store.effectiveGrants(user.id).map((g) => ({
      ...g,
      roleName: store.roles.get(g.roleId)?.name ?? '',
      divisionName: store.divisions.get(g.divisionId)?.name ?? '',
    })),
    groups: store.groupsOf(user.id).map((g) => ({ id: g.id, name: g.name })),
    externalIds: store.externalIds
      .filter((e) => e.userId === user.id)
      .map((e) => ({ authorityName: e.authorityName, externalKey: e.externalKey })),
    stations: {
      ...(user.associatedStationId ? { associated: user.associatedStationId } : {}),
      ...(user.defaultStationId ? { default: user.defaultStationId } : {}),
    },
    ...(user.managementUnitId ? { managementUnitId: user.managementUnitId } : {}),
  };
}
