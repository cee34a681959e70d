/**
 * What a run records about a user before it changes anything. A deactivation
 * restores from it (reactivate) and a resumed run works from it, never from a
 * fresh read that would miss what the interrupted run already removed.
 */
import type { GenesysUser } from '../directory/types';

/** The user record, with the `version` every PATCH needs. */
export type SnapshotUser = GenesysUser & { readonly version: number };

/** One queue the user belongs to. `memberBy: 'group'` memberships follow the group, not the user. */
export interface QueueMembership {
  readonly id: string;
  readonly name?: string;
  /** Whether the user has joined the queue (takes its interactions). */
  readonly joined: boolean;
  /** 'user' when the user was added directly (also when Genesys does not say). */
  readonly memberBy: 'user' | 'group';
  /** Groups that are members of the queue (for group memberships: where it comes from). */
  readonly groups?: readonly { readonly id: string; readonly name?: string }[];
}

/** A routing skill or language with the user's proficiency (0..5). */
export interface ProficiencyAssignment {
  readonly id: string;
  readonly name?: string;
  readonly proficiency: number;
}

/** A role granted in a division; `subjectId` is the user for its own grants, else the group it comes from. */
export interface RoleGrant {
  readonly roleId: string;
  readonly roleName?: string;
  readonly divisionId: string;
  readonly divisionName?: string;
  readonly subjectId: string;
}

/** The user's Genesys Cloud presence. */
export interface PresenceState {
  readonly definitionId?: string;
  /** System presence name, e.g. `Offline`. */
  readonly systemPresence?: string;
}

/** An outside system's key for the user. Deactivation never touches these. */
export interface ExternalId {
  readonly authorityName: string;
  readonly externalKey: string;
}

export interface UserSnapshot {
  /** ISO 8601. */
  readonly takenAt: string;
  readonly user: SnapshotUser;
  /** Joined and unjoined, own and group memberships. */
  readonly queues: readonly QueueMembership[];
  readonly skills: readonly ProficiencyAssignment[];
  readonly languages: readonly ProficiencyAssignment[];
  /** Own and group grants (listed with duplicates, so a grant held both ways shows twice). */
  readonly grants: readonly RoleGrant[];
  /** e.g. `IDLE`, `OFF_QUEUE`; undefined when Genesys did not say. */
  readonly routingStatus?: string;
  readonly presence: PresenceState;
  readonly externalIds: readonly ExternalId[];
}

/** The user's own (direct) queue memberships. */
export function ownQueues(snapshot: UserSnapshot): QueueMembership[] {
  return snapshot.queues.filter((q) => q.memberBy === 'user');
}

/** The user's own grants (not inherited from a group). */
export function ownGrants(snapshot: UserSnapshot): RoleGrant[] {
  return snapshot.grants.filter((g) => g.subjectId === snapshot.user.id);
}

/** `roleId/divisionId`, the identity of a grant. */
export function grantKey(grant: { readonly roleId: string; readonly divisionId: string }): string {
  return `${grant.roleId}/${grant.divisionId}`;
}

/** Counts and values for a report's `found`: small, no personal data beyond the name. */
export function summarize(snapshot: UserSnapshot): Record<string, unknown> {
  const own = ownGrants(snapshot);
  return {
    state: snapshot.user.state,
    version: snapshot.user.version,
    routingStatus: snapshot.routingStatus,
    presence: snapshot.presence.systemPresence,
    queues: { own: ownQueues(snapshot).length, group: snapshot.queues.length - ownQueues(snapshot).length },
    skills: snapshot.skills.length,
    languages: snapshot.languages.length,
    grants: { own: own.length, group: snapshot.grants.length - own.length },
    externalIds: snapshot.externalIds.length,
  };
}

/**
 * One snapshot from several, oldest first: the oldest one's user, status,
 * presence and external ids, and every queue, skill, language and grant any
 * of them saw (the oldest sighting of each wins).
 */
export function mergeSnapshots(snapshots: readonly UserSnapshot[]): UserSnapshot {
  const [oldest, ...later] = snapshots;
  if (!oldest) throw new RangeError('mergeSnapshots: no snapshot');
  if (later.length === 0) return oldest;
  const union = <T>(pick: (s: UserSnapshot) => readonly T[], key: (item: T) => string): T[] => {
    const byKey = new Map<string, T>();
    for (const item of snapshots.flatMap(pick)) if (!byKey.has(key(item))) byKey.set(key(item), item);
    return [...byKey.values()];
  };
  return {
    ...oldest,
    queues: union((s) => s.queues, (q) => `${q.id}/${q.memberBy}`),
    skills: union((s) => s.skills, (x) => x.id),
    languages: union((s) => s.languages, (x) => x.id),
    grants: union((s) => s.grants, (g) => `${grantKey(g)}/${g.subjectId}`),
  };
}
