/**
 * The soft-deactivation use case's contract. The module (src/deactivation)
 * has no HTTP in it; the admin routes (src/admin) and the CLI (src/cli) are
 * thin adapters over {@link DeactivationUseCase}.
 */
import type { Resolution } from '../directory/types';

/** Genesys `stateChangeReason` values. */
export const STATE_CHANGE_REASONS = ['Voluntary', 'Seasonal', 'Leave', 'Performance', 'Conduct', 'Unknown'] as const;
export type StateChangeReason = (typeof STATE_CHANGE_REASONS)[number];

/** The steps of a run, in order. */
export type StepName =
  | 'snapshot' // read user (version), grants, queues (joined and unjoined), skills, languages, routing status, presence, external ids
  | 'routing_status' // OFF_QUEUE
  | 'presence' // the Offline system presence
  | 'station' // associated and default station cleared (reactivate: default station restored)
  | 'queues' // the user's own memberships removed; group memberships reported
  | 'skills'
  | 'languages'
  | 'groups' // optional: the user removed from their groups (reactivate: added back)
  | 'role_grants' // the user's own grants removed; group grants reported
  | 'division' // optional: moved to the offboarding division (reactivate: moved back)
  | 'management_unit' // optional: removed from the workforce management unit (reactivate: put back)
  | 'state' // inactive by PATCH with version (re-read and retry on conflict)
  | 'sessions' // DELETE /api/v2/tokens/{id}, after the state change
  | 'verify' // read back; report what did not take
  | 'cache'; // refresh the enricher's cache entry

/**
 * done: changed something; already: nothing to change (idempotent re-run);
 * planned: dry run, would change; skipped: not applicable; failed: see error.
 */
export type StepOutcome = 'done' | 'already' | 'planned' | 'skipped' | 'failed';

/** Something a step found but left as it is, and why (e.g. a group membership). */
export interface LeftItem {
  readonly kind: string; // 'queue' | 'role_grant' | 'skill' | ...
  readonly id: string;
  readonly name?: string;
  readonly why: string;
}

export interface StepReport {
  readonly step: StepName;
  readonly outcome: StepOutcome;
  /** What the step found before acting (ids and names). */
  readonly found?: readonly { id: string; name?: string }[] | Record<string, unknown>;
  /** What it changed (or would change, in a dry run). */
  readonly changed?: readonly { id: string; name?: string }[] | Record<string, unknown>;
  readonly left?: readonly LeftItem[];
  readonly error?: { readonly code: string; readonly message: string };
}

export type RunStatus =
  | 'completed' // every step done or already
  | 'unchanged' // the user was already fully deactivated (or reactivated): nothing was changed
  | 'planned' // dry run
  | 'partial' // finished, but the read-back found something that did not take (see verify)
  | 'failed'; // a step failed; the journal lets a later run resume

export interface RunReport {
  readonly runId: string;
  readonly action: 'deactivate' | 'reactivate';
  readonly userId: string;
  readonly dryRun: boolean;
  readonly status: RunStatus;
  readonly reason?: StateChangeReason;
  /** Who asked (token fingerprint for admin calls, "cli:<os user>" for the CLI). Never a secret. */
  readonly actor: string;
  readonly user?: { readonly name?: string; readonly stateBefore?: string; readonly stateAfter?: string };
  /** True when this run continued an interrupted earlier run from its journal. */
  readonly resumed: boolean;
  readonly steps: readonly StepReport[];
  readonly startedAt: string; // ISO 8601
  readonly finishedAt: string;
}

export interface RunOptions {
  readonly dryRun?: boolean;
  readonly reason?: StateChangeReason;
  readonly actor: string;
  readonly signal?: AbortSignal;
  /**
   * Optional deactivation steps, each off by default. A resumed run follows
   * what the interrupted run was asked for; reactivation undoes what the
   * recorded deactivations did, whatever these say.
   */
  /** Remove the user from every group (groups still grant queues and roles). */
  readonly removeGroups?: boolean;
  /** Move the user to the configured offboarding division (ENRICHER_OFFBOARDING_DIVISION_ID). */
  readonly moveDivision?: boolean;
  /** Remove the user from their workforce management unit. */
  readonly removeManagementUnit?: boolean;
}

/** Errors the adapters map to status codes / exit codes; each has a stable code. */
export type DeactivationErrorCode =
  | 'invalid_user_id' // not a Genesys user id; checked before any Genesys call (HTTP 400)
  | 'user_not_found' // HTTP 404
  | 'run_in_progress' // another run for the same user holds the lock (HTTP 409)
  | 'no_snapshot' // reactivate without a recorded deactivation (HTTP 409)
  | 'user_deleted' // the user is deleted; soft-deactivation does not apply (HTTP 409)
  | 'genesys_unavailable' // Genesys failed after retries (HTTP 503, retryable)
  | 'journal_error' // the journal could not be written (HTTP 500)
  | 'fleet_lock_unavailable' // the fleet's Redis could not give the run lock: refused rather than risk a double run (HTTP 503, retryable)
  | 'invalid_query' // a people look-up or runs listing with bad parameters (HTTP 400)
  | 'no_offboarding_division' // moveDivision asked for, but no offboarding division is configured (HTTP 400)
  | 'runs_unavailable'; // the journal cannot list its users (HTTP 501)

export class DeactivationError extends Error {
  constructor(
    readonly code: DeactivationErrorCode,
    message: string,
    readonly retryable = code === 'genesys_unavailable' || code === 'run_in_progress' || code === 'fleet_lock_unavailable',
  ) {
    super(message);
    this.name = 'DeactivationError';
  }
}

/** How an administrator names a person: an outside system's key (e.g. HR's employee number), or an email address. */
export type UserQuery =
  | { readonly authority: string; readonly externalKey: string }
  | { readonly email: string };

/** A person found by a UserQuery. */
export interface FoundUser {
  readonly userId: string;
  readonly name?: string;
  readonly username?: string;
  readonly email?: string;
  readonly state: string;
  readonly division?: { readonly id?: string; readonly name?: string };
}

/** One run as the journal records it, for audits. */
export interface RunSummary {
  readonly runId: string;
  readonly userId: string;
  readonly action: 'deactivate' | 'reactivate';
  readonly dryRun: boolean;
  /** Token fingerprint for admin calls, `cli:<os user>` for the CLI. */
  readonly actor: string;
  readonly reason?: StateChangeReason;
  /** The interrupted run this one continued. */
  readonly resumes?: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** The run's status, or `interrupted` when it has no finish record (killed, or still running). */
  readonly outcome: RunStatus | 'interrupted';
}

/** The use case. */
export interface DeactivationUseCase {
  /** Plans (dryRun) or performs the offboarding; resumes an interrupted run from the journal. */
  deactivate(userId: string, options: RunOptions): Promise<RunReport>;
  /** Restores state, queues, skills, languages and grants from the recorded snapshot. */
  reactivate(userId: string, options: RunOptions): Promise<RunReport>;
  /** The identity as the enricher resolves it (through the cache). */
  identity(userId: string): Promise<Resolution>;
  /**
   * People by external id (authoritative, one Genesys call) or by email
   * (through Genesys search, which is eventually consistent: minutes-old
   * changes may not show). Rejects with `invalid_query` or `genesys_unavailable`.
   */
  findUsers?(query: UserQuery, options?: { readonly signal?: AbortSignal }): Promise<FoundUser[]>;
  /** Runs started at or after `since` (ISO 8601), oldest first, at most `limit`. */
  runs?(query: { readonly since?: string; readonly limit?: number }): Promise<RunSummary[]>;
}
