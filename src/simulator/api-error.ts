/**
 * The simulator's error catalogue: each Genesys error code with its HTTP
 * status. Handlers throw `ApiError`; the server turns it into the Genesys error
 * body `{message, code, status, messageParams, contextId, details, errors}`.
 */
export const ERROR_STATUS = {
  'bad.request': 400,
  'bad.credentials': 401,
  'credentials.expired': 401,
  'not.found': 404,
  'request.entity.too.large': 413,
  'general.conflict': 409,
  'too.many.requests.retry.after': 429,
  'internal.server.error': 500,
  'service.unavailable': 503,
} as const;

/** A stable Genesys error code the simulator can answer with. */
export type ApiErrorCode = keyof typeof ERROR_STATUS;

/** An error answer; `headers` are added to the response (e.g. Retry-After). */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** Overrides the catalogue's status (only for answers Genesys gives with an unusual status). */
    status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status ?? ERROR_STATUS[code];
  }
}

/** Shorthands for the errors handlers raise most. */
export const apiErrors = {
  badRequest: (message: string) => new ApiError('bad.request', message),
  notFound: (message = 'The requested resource could not be found.') => new ApiError('not.found', message),
  userNotFound: () => new ApiError('not.found', 'The requested user could not be found.'),
  badCredentials: () => new ApiError('bad.credentials', 'Invalid login credentials.'),
  credentialsExpired: () =>
    new ApiError('credentials.expired', 'The supplied credentials are expired and cannot be used.'),
  versionConflict: () =>
    new ApiError('general.conflict', 'The version supplied does not match the current version of the user.'),
  /**
   * The same conflict as Genesys also answers it: 400 `bad.request` with the
   * "does not match the current version" message (documented in
   * genesys-api.md), or 408. ASSUMPTION: the 408 body's code is not
   * documented; the simulator sends `general.conflict` with status 408.
   */
  versionConflictAs: (status: 400 | 408 | 409) =>
    status === 400
      ? new ApiError('bad.request', 'The version supplied does not match the current version of the user.')
      : new ApiError('general.conflict', 'The version supplied does not match the current version of the user.', {}, status),
  /** `retryAfterSeconds` (whole seconds) goes into the Retry-After header. */
  tooManyRequests: (retryAfterSeconds: number) =>
    new ApiError('too.many.requests.retry.after', `Rate limit exceeded the maximum. Retry the request in [${retryAfterSeconds}] seconds`, {
      'Retry-After': String(retryAfterSeconds),
    }),
  serviceUnavailable: () => new ApiError('service.unavailable', 'Service Unavailable. Please try again later.'),
  internal: () => new ApiError('internal.server.error', 'The server encountered an internal error.'),
};
