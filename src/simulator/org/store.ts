import type { UserState } from '../../directory/types';

/** Routing statuses Genesys reports; only OFF_QUEUE and IDLE can be set through the API. */
export type RoutingStatusValue = 'OFF_QUEUE' | 'IDLE' | 'INTERACTING' | 'NOT_RESPONDING' | 'COMMUNICATING';

/** A user as the simulator stores it, with everything the routes read and change. */
export interface UserRecord {
  id: string;
  name: string;
  username: string;
  email: string;
  state: UserState;
  title: string;
  department: string;
  divisionId: string;
  /** Starts at 1; every change adds 1. */
  version: number;
  managerId?: string;
  /** ISO 8601. */
  dateLastLogin?: string;
  stateChangeReason?: string;
  stateChangeDate?: string;
  routingStatus: { status: RoutingStatusValue; startTime: string };
  presence: { definitionId: string; message: string; modifiedDate: string };
  /** skillId -> proficiency (0..5). */
  skills: Map<string, number>;
  /** languageId -> proficiency (0..5). */
  languages: Map<string, number>;
  /** Logged-in sessions; revoking tokens sets it to 0. */
  activeSessions: number;
  /** The station the user is logged in on (a phone), if any. */
  associatedStationId?: string;
  /** The station the user gets on logging in, if any. */
  defaultStationId?: string;
  /** The workforce management unit the user is an agent of, if any. */
  managementUnitId?: string;
}

/** A station (a phone or WebRTC softphone) users can be associated with. */
export interface StationRecord extends NamedRecord {
  type: string;
}

/** Anything with an id and a display name (skills, languages, roles). */
export interface NamedRecord {
  id: string;
  name: string;
}

/** A division; exactly one is the home division. */
export interface DivisionRecord extends NamedRecord {
  homeDivision: boolean;
}

/**
 * How one user belongs to one queue: directly (`memberBy: user`) and/or through
 * groups (`memberBy: group`). A direct membership wins in listings; removing it
 * leaves the group-derived one in place, as in Genesys.
 */
export interface QueueMembership {
  direct: boolean;
  viaGroups: Set<string>;
  joined: boolean;
}

/** A routing queue and who belongs to it. */
export interface QueueRecord extends NamedRecord {
  divisionId: string;
  /** Groups whose members are members of this queue. */
  memberGroupIds: string[];
  /** userId -> membership. */
  members: Map<string, QueueMembership>;
}

/** A group: its members inherit its grants and its queue memberships. */
export interface GroupRecord extends NamedRecord {
  memberIds: Set<string>;
}

/** A presence definition (the simulator has only the system ones). */
export interface PresenceDefinitionRecord {
  id: string;
  /** Genesys system presence name, e.g. `Available`, `Offline`, `On Queue`. */
  systemPresence: string;
  label: string;
}

/** An outside system's key for a user (case-sensitive, as in Genesys). */
export interface ExternalIdRecord {
  userId: string;
  authorityName: string;
  externalKey: string;
}

/** A grant a subject holds directly: a role in a division. */
export interface GrantKey {
  roleId: string;
  divisionId: string;
}

/** A grant as a user effectively has it; `subjectId` is the user, or the group it comes from. */
export interface EffectiveGrant extends GrantKey {
  subjectId: string;
}

/**
 * The simulated org's state and the operations that must keep it consistent
 * (group membership drives queue membership and inherited grants; a soft delete
 * touches several collections). HTTP semantics live in the routes, not here.
 */
export class OrgStore {
  readonly users = new Map<string, UserRecord>();
  readonly divisions = new Map<string, DivisionRecord>();
  readonly queues = new Map<string, QueueRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly skills = new Map<string, NamedRecord>();
  readonly languages = new Map<string, NamedRecord>();
  readonly roles = new Map<string, NamedRecord>();
  readonly stations = new Map<string, StationRecord>();
  /** Workforce management units. */
  readonly managementUnits = new Map<string, NamedRecord>();
  readonly externalIds: ExternalIdRecord[] = [];
  readonly presenceDefinitions: PresenceDefinitionRecord[] = [];
  /** subjectId (user or group) -> grants it holds directly, as `roleId/divisionId`. */
  private readonly directGrants = new Map<string, Set<string>>();

  /** The division flagged as home; the store always has one. */
  homeDivision(): DivisionRecord {
    for (const division of this.divisions.values()) if (division.homeDivision) return division;
    throw new Error('the simulated org has no home division');
  }

  /** The presence definition with this system presence name (e.g. `Offline`). */
  systemPresence(name: string): PresenceDefinitionRecord {
    const found = this.presenceDefinitions.find((p) => p.systemPresence === name);
    if (!found) throw new Error(`no system presence ${name}`);
    return found;
  }

  /** Grants the subject (user or group) holds directly. */
  grantsOf(subjectId: string): GrantKey[] {
    return [...(this.directGrants.get(subjectId) ?? [])].map(parseGrant);
  }

  /** Gives the subject a grant directly (idempotent). */
  addGrant(subjectId: string, grant: GrantKey): void {
    const set = this.directGrants.get(subjectId) ?? new Set<string>();
    set.add(grantKey(grant));
    this.directGrants.set(subjectId, set);
  }

  /** Takes a direct grant away; grants inherited through groups are not the subject's to lose. */
  removeGrant(subjectId: string, grant: GrantKey): void {
    this.directGrants.get(subjectId)?.delete(grantKey(grant));
  }

  /** Takes every grant the user holds directly; group grants stay with the group. */
  removeOwnGrants(userId: string): void {
    this.directGrants.delete(userId);
  }

  /** The user's own grants first, then those inherited from each of its groups. */
  effectiveGrants(userId: string): EffectiveGrant[] {
    const own = this.grantsOf(userId).map((g) => ({ ...g, subjectId: userId }));
    const inherited = this.groupsOf(userId).flatMap((group) =>
      this.grantsOf(group.id).map((g) => ({ ...g, subjectId: group.id })),
    );
    return [...own, ...inherited];
  }

  /** The groups the user is a member of. */
  groupsOf(userId: string): GroupRecord[] {
    return [...this.groups.values()].filter((g) => g.memberIds.has(userId));
  }

  /** Adds the user to the group, and so to the queues the group is a member of. */
  addToGroup(groupId: string, userId: string): void {
    const group = this.groups.get(groupId);
    if (!group) throw new Error(`unknown group ${groupId}`);
    group.memberIds.add(userId);
    for (const queue of this.queues.values()) {
      if (!queue.memberGroupIds.includes(groupId)) continue;
      const membership = queue.members.get(userId) ?? { direct: false, viaGroups: new Set<string>(), joined: true };
      membership.viaGroups.add(groupId);
      queue.members.set(userId, membership);
    }
  }

  /** Removes the user from the group, and from queues it belonged to only through that group. */
  removeFromGroup(groupId: string, userId: string): void {
    this.groups.get(groupId)?.memberIds.delete(userId);
    for (const queue of this.queues.values()) {
      const membership = queue.members.get(userId);
      if (!membership) continue;
      membership.viaGroups.delete(groupId);
      if (!membership.direct && membership.viaGroups.size === 0) queue.members.delete(userId);
    }
  }

  /** Adds or removes the user's direct membership of a queue; group-derived ones stay. */
  setDirectMembership(queueId: string, userId: string, member: boolean): void {
    const queue = this.queues.get(queueId);
    if (!queue) throw new Error(`unknown queue ${queueId}`);
    const membership = queue.members.get(userId);
    if (member) {
      if (membership) membership.direct = true;
      else queue.members.set(userId, { direct: true, viaGroups: new Set<string>(), joined: true });
    } else if (membership) {
      membership.direct = false;
      if (membership.viaGroups.size === 0) queue.members.delete(userId);
    }
  }

  /**
   * Genesys' soft delete: state `deleted`, every role grant and group
   * membership gone (so inherited grants and group queue memberships too),
   * moved to the home division, sessions ended. The record and its external
   * ids stay.
   */
  softDelete(userId: string, at: string): void {
    const user = this.users.get(userId);
    if (!user) throw new Error(`unknown user ${userId}`);
    this.directGrants.delete(userId);
    for (const group of this.groupsOf(userId)) this.removeFromGroup(group.id, userId);
    user.state = 'deleted';
    user.divisionId = this.homeDivision().id;
    user.activeSessions = 0;
    user.stateChangeDate = at;
    user.version += 1;
  }
}

function grantKey(grant: GrantKey): string {
  return `${grant.roleId}/${grant.divisionId}`;
}

function parseGrant(key: string): GrantKey {
  const [roleId, divisionId] = key.split('/');
  return { roleId, divisionId };
}
