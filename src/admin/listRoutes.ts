import type { IncomingMessage } from 'node:http';
import type { DeactivationUseCase, UserQuery } from '../deactivation/types';
import { AdminError } from './errors';
import type { UserRoute } from './routes';
import type { Answer, RequestFacts, UserRoutesOptions } from './userRoutes';

/** Said with every email search: Genesys search is eventually consistent. */
export const EMAIL_SEARCH_NOTE =
  'found through Genesys user search, which is eventually consistent: a user created or changed in the last minutes may be missing or out of date; ' +
  'confirm with GET /v1/users/{userId} before acting';

/**
 * `GET /v1/users?authority=A&externalKey=K` or `GET /v1/users?email=E`
 * (finding people), and `GET /v1/runs?since=...&limit=N` (who offboarded
 * whom). Same order of checks as the user routes: enabled (403), token
 * (401), query (400), wiring (503), then the use case.
 */
export async function serveListRoute(req: IncomingMessage, route: UserRoute, options: UserRoutesOptions, facts: RequestFacts): Promise<Answer> {
  if (!options.auth) throw new AdminError('admin_disabled');
  const caller = options.auth.check(req.headers.authorization);
  facts.who = caller.who;
  if (!caller.authenticated) throw new AdminError('unauthorized');
  const query = new URL(req.url ?? '/', 'http://admin').searchParams;
  if (route.name === 'find') {
    const userQuery = findQuery(query);
    const find = requireUseCase(options).findUsers;
    if (!find) throw new AdminError('deactivation_unavailable', 'this service cannot look people up');
    const users = await find.call(options.deactivation, userQuery, { signal: options.signal });
    const byEmail = 'email' in userQuery;
    return { status: 200, body: { users, consistency: byEmail ? 'eventual' : 'authoritative', ...(byEmail ? { note: EMAIL_SEARCH_NOTE } : {}) } };
  }
  const { since, limit } = runsQuery(query);
  const runs = requireUseCase(options).runs;
  if (!runs) throw new AdminError('runs_unavailable');
  return { status: 200, body: { runs: await runs.call(options.deactivation, { since, limit }) } };
}

function requireUseCase(options: UserRoutesOptions): DeactivationUseCase {
  if (!options.deactivation) throw new AdminError('deactivation_unavailable');
  return options.deactivation;
}

/** Exactly one form: `email`, or `authority` with `externalKey`. Anything else is 400 invalid_query. */
function findQuery(query: URLSearchParams): UserQuery {
  only(query, ['email', 'authority', 'externalKey']);
  const email = single(query, 'email');
  const authority = single(query, 'authority');
  const externalKey = single(query, 'externalKey');
  if (email !== undefined && authority === undefined && externalKey === undefined) return { email };
  if (email === undefined && authority !== undefined && externalKey !== undefined) return { authority, externalKey };
  throw new AdminError('invalid_query', 'give either email=E, or authority=A and externalKey=K');
}

function runsQuery(query: URLSearchParams): { since?: string; limit?: number } {
  only(query, ['since', 'limit']);
  const since = single(query, 'since');
  const rawLimit = single(query, 'limit');
  if (rawLimit !== undefined && !/^\d{1,6}$/.test(rawLimit)) throw new AdminError('invalid_query', 'limit must be a whole number');
  return { ...(since !== undefined ? { since } : {}), ...(rawLimit !== undefined ? { limit: Number(rawLimit) } : {}) };
}

function only(query: URLSearchParams, allowed: readonly string[]): void {
  for (const key of query.keys())
    if (!allowed.includes(key)) throw new AdminError('invalid_query', `unknown parameter ${JSON.stringify(key.slice(0, 64))}; allowed: ${allowed.join(', ')}`);
}

function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw new AdminError('invalid_query', `${name} given more than once`);
  return values[0];
}
