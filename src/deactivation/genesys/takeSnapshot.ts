import type { SnapshotUser, UserSnapshot } from '../snapshot';
import type { UserReads } from './userReads';

/**
 * Reads everything a deactivation changes (and the external ids it must not)
 * for a user already read. Eight reads, at most three in flight, so a
 * snapshot does not spike the request rate.
 */
export async function takeSnapshot(reads: UserReads, user: SnapshotUser, takenAt: string): Promise<UserSnapshot> {
  const id = user.id;
  const [queues, skills, languages] = await Promise.all([reads.queues(id), reads.skills(id), reads.languages(id)]);
  const [grants, routingStatus, presence] = await Promise.all([reads.grants(id), reads.routingStatus(id), reads.presence(id)]);
  const externalIds = await reads.externalIds(id);
  return { takenAt, user, queues, skills, languages, grants, routingStatus, presence, externalIds };
}
