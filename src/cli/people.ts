import { DeactivationError, type DeactivationUseCase, type UserQuery } from '../deactivation/types';
import type { BulkItem } from './deactivationFactory';

/** A person named some other way than by Genesys user id; `source` says where (for the report). */
export interface PersonRef {
  readonly query: UserQuery;
  /** E.g. `HR:E10001`, `ana@example.com`, `leavers.csv line 12 (HR:E10001)`. */
  readonly source: string;
}

/** What resolving people came to: user ids with where each came from, and the rows that found nobody (or several). */
export interface Resolved {
  readonly found: readonly { readonly userId: string; readonly source: string }[];
  readonly unresolved: readonly BulkItem[];
}

/** Look-ups in flight at once; the client's rate limiter bounds the request rate. */
const CONCURRENCY = 4;

/**
 * Each person to a user id through the use case: an external id names one
 * user or none; an email may name several (search is eventually consistent),
 * which is refused as ambiguous rather than guessed. A person that cannot be
 * resolved becomes a BulkItem with an error and is never run.
 */
export async function resolvePeople(useCase: DeactivationUseCase, people: readonly PersonRef[], signal?: AbortSignal): Promise<Resolved> {
  const results: ({ userId: string; source: string } | BulkItem)[] = new Array(people.length);
  let next = 0;
  const worker = async () => {
    while (next < people.length && !signal?.aborted) {
      const index = next++;
      results[index] = await resolveOne(useCase, people[index]!, signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, people.length) }, worker));
  const found: { userId: string; source: string }[] = [];
  const unresolved: BulkItem[] = [];
  people.forEach((person, i) => {
    const r = results[i] ?? { userId: '', source: person.source, error: { code: 'not_run', message: 'interrupted before this person was looked up' } };
    if ('error' in r && r.error) unresolved.push(r);
    else found.push(r as { userId: string; source: string });
  });
  return { found, unresolved };
}

async function resolveOne(useCase: DeactivationUseCase, person: PersonRef, signal?: AbortSignal): Promise<{ userId: string; source: string } | BulkItem> {
  const fail = (code: string, message: string): BulkItem => ({ userId: '', source: person.source, error: { code, message } });
  if (!useCase.findUsers) return fail('not_supported', 'this build cannot look people up');
  try {
    const users = await useCase.findUsers(person.query, signal ? { signal } : {});
    if (users.length === 1) return { userId: users[0]!.userId, source: person.source };
    if (users.length === 0) return fail('user_not_found', `no Genesys user for ${person.source}`);
    return fail('ambiguous', `${users.length} users match ${person.source}: ${users.map((u) => u.userId).join(', ')}; give the user id instead`);
  } catch (err) {
    if (err instanceof DeactivationError) return fail(err.code, err.message);
    throw err;
  }
}
