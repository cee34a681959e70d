import type { OffboardingPlan, SnapshotUser, UserSnapshot } from '../snapshot';
import type { UserReads } from './userReads';

/**
 * Reads everything a deactivation changes (and the external ids it must not)
 * for a user already read: the user's groups first (they tell which queue
 * memberships come through a group), then the queues with one member listing
 * per queue, then the rest, at most three reads in flight, so a snapshot does
 * not spike the request rate. The management unit is read only when the plan
 * asks for that step (it needs workforce management permissions).
 */
export async function takeSnapshot(reads: UserReads, user: SnapshotUser, takenAt: string, plan?: OffboardingPlan): Promise<UserSnapshot> {
  const id = user.id;
  const groups = await reads.groups(id);
  const [queues, skills, languages] = await Promise.all([reads.queues(id, groups), reads.skills(id), reads.languages(id)]);
  const [grants, routingStatus, presence] = await Promise.all([reads.grants(id), reads.routingStatus(id), reads.presence(id)]);
  const [externalIds, stations] = await Promise.all([reads.externalIds(id), reads.stations(id)]);
  const managementUnit = plan?.steps.includes('management_unit') ? await reads.managementUnit(id) : undefined;
  return {
    takenAt,
    user,
    queues,
    skills,
    languages,
    grants,
    routingStatus,
    presence,
    externalIds,
    stations,
    ...(groups ? { groups } : {}),
    ...(managementUnit !== undefined ? { managementUnit } : {}),
    ...(plan && plan.steps.length > 0 ? { offboarding: plan } : {}),
  };
}
