/**
 * The admin API's error catalogue: every error the admin HTTP routes answer
 * with, its stable code, HTTP status and default message, in this one table.
 * DeactivationError codes from the use case are mapped here too, so the
 * status of every outcome is decided in one place.
 */
import { DeactivationError, type DeactivationErrorCode } from '../deactivation/types';

/** Codes of the adapter itself (request shape, auth, wiring). */
export type AdapterErrorCode =
  | 'unauthorized'
  | 'too_many_auth_failures'
  | 'admin_disabled'
  | 'not_found'
  | 'method_not_allowed'
  | 'invalid_body'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'deactivation_unavailable'
  | 'run_failed'
  | 'internal_error';

/** Every code an admin error body can carry. */
export type AdminErrorCode = AdapterErrorCode | DeactivationErrorCode;

interface CatalogueEntry {
  readonly status: number;
  readonly message: string;
}

/**
 * code -> HTTP status and default message. `satisfies` makes the compiler
 * insist that every DeactivationErrorCode has an entry.
 */
export const ADMIN_ERRORS = {
  // Adapter: authentication and configuration.
  unauthorized: { status: 401, message: 'missing or wrong bearer token (Authorization: Bearer <ENRICHER_ADMIN_TOKEN>)' },
  too_many_auth_failures: { status: 429, message: 'too many failed authentications from this address; try again after Retry-After seconds' },
  admin_disabled: { status: 403, message: 'admin routes are disabled: set ENRICHER_ADMIN_TOKEN to enable them' },
  deactivation_unavailable: { status: 503, message: 'the deactivation module is not wired into this service' },
  // Adapter: request shape.
  not_found: { status: 404, message: 'no such route' },
  method_not_allowed: { status: 405, message: 'method not allowed on this route' },
  invalid_body: { status: 400, message: 'the request body is not valid' },
  body_too_large: { status: 413, message: 'the request body is too large' },
  unsupported_media_type: { status: 415, message: 'the request body must be application/json' },
  // Use case (DeactivationError codes).
  invalid_user_id: { status: 400, message: 'not a Genesys Cloud user id (a UUID)' },
  user_not_found: { status: 404, message: 'no such user' },
  run_in_progress: { status: 409, message: 'another run for this user is in progress; try again when it has finished' },
  no_snapshot: { status: 409, message: 'no recorded deactivation to restore from' },
  user_deleted: { status: 409, message: 'the user is deleted; soft-deactivation does not apply' },
  genesys_unavailable: { status: 503, message: 'Genesys Cloud did not answer; try again later' },
  journal_error: { status: 500, message: 'the deactivation journal could not be written' },
  fleet_lock_unavailable: { status: 503, message: "the fleet's Redis is unavailable, so the run lock cannot be taken; try again later" },
  invalid_query: { status: 400, message: 'the query string is not valid' },
  no_offboarding_division: { status: 400, message: 'moveDivision needs ENRICHER_OFFBOARDING_DIVISION_ID to be set' },
  runs_unavailable: { status: 501, message: 'this journal cannot list the runs of all users' },
  // A run that returned a report whose status is `failed` (the report goes along).
  run_failed: { status: 502, message: 'a step of the run failed; calling again resumes from the journal' },
  internal_error: { status: 500, message: 'internal error' },
} as const satisfies Record<AdminErrorCode, CatalogueEntry>;

/** An error the admin routes answer with; `message` defaults to the catalogue's. */
export class AdminError extends Error {
  readonly status: number;
  constructor(
    readonly code: AdminErrorCode,
    message: string = ADMIN_ERRORS[code].message,
    /** Extra fields for the body (e.g. the failed run's report). */
    readonly extra?: Readonly<Record<string, unknown>>,
    /** Response headers the answer must carry (e.g. Retry-After). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'AdminError';
    this.status = ADMIN_ERRORS[code].status;
  }

  /** The JSON error body: `{code, message}` plus any extra fields. */
  body(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/**
 * Anything thrown while serving a request, as an AdminError. Use case errors
 * keep their code and message; anything else is an internal error whose
 * message is not echoed (it may carry details the caller should not see).
 */
export function toAdminError(err: unknown): AdminError {
  if (err instanceof AdminError) return err;
  if (err instanceof DeactivationError && err.code in ADMIN_ERRORS) return new AdminError(err.code, err.message);
  return new AdminError('internal_error');
}
