import { apiErrors } from '../api-error';
import type { OrgStore, QueueRecord, UserRecord } from '../org/store';
import { isUuid } from '../validate';

/** The user in any state (sub-resources of deleted users stay readable), else 404. */
export function requireUser(store: OrgStore, id: string): UserRecord {
  const user = isUuid(id) ? store.users.get(id.toLowerCase()) : undefined;
  if (!user) throw apiErrors.userNotFound();
  return user;
}

export function requireQueue(store: OrgStore, id: string): QueueRecord {
  const queue = store.queues.get(id.toLowerCase());
  if (!queue) throw apiErrors.notFound('The requested queue could not be found.');
  return queue;
}

/** A body field that must be a proficiency: a number from 0 to 5. */
export function requireProficiency(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 5) {
    throw apiErrors.badRequest("The field 'proficiency' must be a number from 0 to 5.");
  }
  return value;
}
