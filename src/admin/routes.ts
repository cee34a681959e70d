/**
 * The authenticated /v1 routes: their patterns and methods. Matching is by
 * path segment; the user id segment is taken raw (not percent-decoded), so
 * anything but a plain UUID fails the id check that follows.
 */
export type UserRouteName = 'identity' | 'deactivate' | 'reactivate' | 'find' | 'runs';

export interface UserRoute {
  readonly name: UserRouteName;
  /** The pattern, for the audit log and error messages: never the raw path. */
  readonly pattern: string;
  /** The one method the route answers. */
  readonly method: 'GET' | 'POST';
}

export const USER_ROUTES: Readonly<Record<UserRouteName, UserRoute>> = {
  identity: { name: 'identity', pattern: '/v1/users/{userId}', method: 'GET' },
  deactivate: { name: 'deactivate', pattern: '/v1/users/{userId}/deactivate', method: 'POST' },
  reactivate: { name: 'reactivate', pattern: '/v1/users/{userId}/reactivate', method: 'POST' },
  find: { name: 'find', pattern: '/v1/users', method: 'GET' },
  runs: { name: 'runs', pattern: '/v1/runs', method: 'GET' },
};

/** The routes without a user id: `/v1/users` (finding people) and `/v1/runs` (the audit listing). */
export function matchListRoute(path: string): UserRoute | undefined {
  if (path === '/v1/users') return USER_ROUTES.find;
  if (path === '/v1/runs') return USER_ROUTES.runs;
  return undefined;
}

/** The route a path names and the raw user id segment, or undefined for any other path. */
export function matchUserRoute(path: string): { route: UserRoute; rawUserId: string } | undefined {
  const parts = path.split('/');
  // ['', 'v1', 'users', id] or ['', 'v1', 'users', id, action]
  if (parts.length < 4 || parts.length > 5 || parts[0] !== '' || parts[1] !== 'v1' || parts[2] !== 'users' || parts[3] === '')
    return undefined;
  const rawUserId = parts[3];
  if (parts.length === 4) return { route: USER_ROUTES.identity, rawUserId };
  if (parts[4] === 'deactivate' || parts[4] === 'reactivate') return { route: USER_ROUTES[parts[4]], rawUserId };
  return undefined;
}
