/**
 * What a run records about a user before it changes anything. A deactivation
 * restores from it (reactivate) and a resumed run works from it, never from a
 * fresh read that would miss what the interrupted run already removed.
 */
import type { GenesysUser } from '../directory/types';

/** The user record, with the `version` every PATCH needs. */
export type SnapshotUser = GenesysUser & { readonly version: number };

/** Something Genesys names by id, with its name when known. */
export interface Ref {
  readonly id: string;
  readonly name?: string;
}

/** The user's stations (`GET /api/v2/users/{id}/station`): the one logged in on, and the one given on log-in. */
export interface StationAssignment {
  readonly associated?: Ref;
  readonly default?: Ref;
}

/** Offboarding steps that run only when asked for. */
export const OPTIONAL_STEPS = ['groups', 'division', 'management_unit'] as const;
export type OptionalStep = (typeof OPTIONAL_STEPS)[number];

/** What a deactivation chain was asked to do beyond the standard steps; resumes and reactivation follow it. */
export interface OffboardingPlan {
  readonly steps: readonly OptionalStep[];
  /** The division the `division` step moves the user to. */
  readonly divisionId?: string;
}

/**
 * One queue the user belongs to. `memberBy: 'group'` memberships follow the
 * group, not the user. A membership held both ways is listed twice, once
 * each way.
 */
export interface QueueMembership {
  readonly id: string;
  readonly name?: string;
  /** Whether the user has joined the queue (takes its interactions). */
  readonly joined: boolean;
  /** From the queue's member listing (`memberBy=user`): 'user' when listed there, else 'group'. */
  readonly memberBy: 'user' | 'group';
  /**
   * For group memberships, where it comes from: the queue's member groups the
   * user belongs to (or all the queue's member groups when the user's groups
   * are not known).
   */
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
  /** Undefined in journals written before stations were recorded. */
  readonly stations?: StationAssignment;
  /** The groups the user is a member of (undefined in older journals, or when Genesys did not return them: expand is best effort). */
  readonly groups?: readonly Ref[];
  /** The workforce management unit: null when in none, undefined when not read (only read when that step is asked for). */
  readonly managementUnit?: Ref | null;
  /** Optional steps the run was asked for; undefined means none. */
  readonly offboarding?: OffboardingPlan;
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
    ...(snapshot.stations ? { stations: { associated: snapshot.stations.associated?.id ?? null, default: snapshot.stations.default?.id ?? null } } : {}),
    ...(snapshot.groups ? { groups: snapshot.groups.length } : {}),
    ...(snapshot.managementUnit !== undefined ? { managementUnit: snapshot.managementUnit?.id ?? null } : {}),
    ...(snapshot.offboarding ? { optionalSteps: snapshot.offboarding.steps } : {}),
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
    stations: snapshots.find((s) => s.stations)?.stations,
    ...(snapshots.some((s) => s.groups) ? { groups: union((s) => s.groups ?? [], (g) => g.id) } : {}),
    managementUnit: snapshots.find((s) => s.managementUnit !== undefined)?.managementUnit,
    offboarding: mergePlans(snapshots),
  };
}

function mergePlans(snapshots: readonly UserSnapshot[]): OffboardingPlan | undefined {
  const plans = snapshots.flatMap((s) => (s.offboarding ? [s.offboarding] : []));
  if (plans.length === 0) return undefined;
  const steps = OPTIONAL_STEPS.filter((step) => plans.some((p) => p.steps.includes(step)));
  const divisionId = plans.find((p) => p.divisionId)?.divisionId;
  return { steps, ...(divisionId ? { divisionId } : {}) };
}
