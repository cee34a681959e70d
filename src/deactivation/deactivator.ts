import { randomUUID } from 'node:crypto';
import { GenesysError } from '../directory/genesys/errors';
import type { GenesysCaller } from '../directory/lookup/userLookup';
import { functionOption, intOption, requiredOption, stringOption } from '../directory/options';
import type { Resolution } from '../directory/types';
import { normalizeUserId } from '../directory/userId';
import type { Logger } from '../telemetry/logger';
import { UserReads } from './genesys/userReads';
import type { RunAction } from './journal/records';
import type { RunJournal } from './journal/types';
import { executeRun, type RunDeps } from './runner';
import { isOffline } from './steps/routing';
import type { IdentityCache } from './steps/types';
import { unavailable } from './errors';
import { runSummaries } from './journal/runLog';
import type { SnapshotUser } from './snapshot';
import {
  DeactivationError, STATE_CHANGE_REASONS, type DeactivationUseCase, type FoundUser, type RunOptions, type RunReport, type RunSummary, type UserQuery,
} from './types';

const OWNER = 'Deactivator';

export interface DeactivatorOptions {
  /** Usually a GenesysClient (give it a RequestRateLimiter for bulk runs). Required. */
  readonly client: GenesysCaller;
  /** Where runs are recorded and locked, e.g. a FileRunJournal. Required. */
  readonly journal: RunJournal;
  /**
   * The enricher's identity cache (CachedIdentityResolver). When given, each
   * run ends by caching the user as it left it, and `identity()` answers
   * through it. Default none: the cache step is `skipped` and `identity()`
   * asks Genesys directly.
   */
  readonly resolver?: IdentityCache;
  /** Run starts, finishes and refusals at info, steps at debug; never tokens. Required. */
  readonly logger: Logger;
  /** Wall clock for report and journal timestamps, milliseconds since the epoch. Default Date.now. */
  readonly now?: () => number;
  /** Run ids. Default crypto.randomUUID. */
  readonly idFactory?: () => string;
  /** Entities per page when listing queues, skills and languages, 1..500. Default 100. */
  readonly pageSize?: number;
  /** Re-reads and retries of a state change after a version conflict, >= 0. Default 3. */
  readonly versionConflictRetries?: number;
  /**
   * The division the optional `moveDivision` step moves users to
   * (ENRICHER_OFFBOARDING_DIVISION_ID). Default none: runs asking for that
   * step are refused with `no_offboarding_division`.
   */
  readonly offboardingDivisionId?: string;
}

/**
 * The soft-deactivation use case (issue 3): offboards an agent without
 * deleting anything, records every run in the journal, resumes interrupted
 * runs and restores from the recorded snapshot. No HTTP in here: the admin
 * routes and the CLI adapt it.
 *
 * Runs for one user are serialised by the journal's lock (across processes);
 * runs for different users may go on concurrently on one Deactivator.
 */
export class Deactivator implements DeactivationUseCase {
  readonly #journal: RunJournal;
  readonly #deps: RunDeps;
  #offline: Promise<string> | undefined;

  constructor(options: DeactivatorOptions) {
    requiredOption(OWNER, 'options', options);
    const client = requiredOption(OWNER, 'client', options.client);
    if (typeof client.call !== 'function') throw new TypeError(`${OWNER}: option "client" must have a call() method`);
    this.#journal = requiredOption(OWNER, 'journal', options.journal);
    const pageSize = intOption(OWNER, 'pageSize', options.pageSize, 100);
    if (pageSize > 500) throw new RangeError(`${OWNER}: option "pageSize" must be <= 500, got ${pageSize}`);
    this.#deps = Object.freeze({
      client,
      cache: options.resolver,
      logger: requiredOption(OWNER, 'logger', options.logger).child({ component: 'deactivation' }),
      now: functionOption<() => number>(OWNER, 'now', options.now, Date.now),
      newId: functionOption<() => string>(OWNER, 'idFactory', options.idFactory, randomUUID),
      pageSize,
      versionConflictRetries: intOption(OWNER, 'versionConflictRetries', options.versionConflictRetries, 3, 0),
      offlinePresenceId: (reads: UserReads) => this.#offlinePresenceId(reads),
      ...(options.offboardingDivisionId !== undefined ? { offboardingDivisionId: stringOption(OWNER, 'offboardingDivisionId', options.offboardingDivisionId) } : {}),
    });
  }

  deactivate(userId: string, options: RunOptions): Promise<RunReport> {
    return this.#run('deactivate', userId, options);
  }

  reactivate(userId: string, options: RunOptions): Promise<RunReport> {
    return this.#run('reactivate', userId, options);
  }

  /**
   * The identity as the enricher resolves it: through the cache when there is
   * one, else one direct look-up. Rejects only with `invalid_user_id`;
   * Genesys trouble comes back as a `failed` resolution.
   */
  async identity(rawId: string): Promise<Resolution> {
    const userId = checkedUserId(rawId);
    if (this.#deps.cache) {
      return (await this.#deps.cache.resolve([userId])).get(userId) ?? { status: 'failed', reason: 'no answer' };
    }
    try {
      const read = await new UserReads(this.#deps.client, {}, this.#deps.pageSize).user(userId);
      return read.status === 'not_found' ? { status: 'not_found' } : { status: 'found', user: read.user };
    } catch (err) {
      if (err instanceof GenesysError) return { status: 'failed', reason: err.message };
      throw err;
    }
  }

  /**
   * People by external id (`GET /api/v2/users/externalid/{authority}/{key}`:
   * authoritative, case-sensitive, deleted users not found) or by email
   * (`POST /api/v2/users/search`, exact, case-insensitive: eventually
   * consistent, so a user created or changed minutes ago may be missing).
   * Finds nobody: an empty list.
   */
  async findUsers(query: UserQuery, options: { readonly signal?: AbortSignal } = {}): Promise<FoundUser[]> {
    const checked = checkedQuery(query);
    const reads = new UserReads(this.#deps.client, options.signal ? { signal: options.signal } : {}, this.#deps.pageSize);
    try {
      const users = 'email' in checked ? await reads.byEmail(checked.email) : [await reads.byExternalId(checked.authority, checked.externalKey)].flatMap((u) => u ?? []);
      return users.map(toFound);
    } catch (err) {
      throw unavailable(err, 'finding users');
    }
  }

  /** Runs started at or after `since`, oldest first, at most `limit` (default 1000, at most 10000), from every user's journal. */
  async runs(query: { readonly since?: string; readonly limit?: number } = {}): Promise<RunSummary[]> {
    const since = query.since === undefined ? undefined : Date.parse(query.since);
    if (since !== undefined && (Number.isNaN(since) || !/^\d{4}-\d{2}-\d{2}/.test(query.since!))) {
      throw new DeactivationError('invalid_query', `since must be an ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z, got "${query.since}"`);
    }
    const limit = query.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUNS) throw new DeactivationError('invalid_query', `limit must be an integer from 1 to ${MAX_RUNS}`);
    if (!this.#journal.users) throw new DeactivationError('runs_unavailable', 'this journal cannot list the runs of all users');
    const runs: RunSummary[] = [];
    for (const userId of await this.#journal.users()) {
      for (const run of runSummaries(userId, await this.#journal.read(userId))) {
        if (since === undefined || Date.parse(run.startedAt) >= since) runs.push(run);
      }
    }
    return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId)).slice(0, limit);
  }

  async #run(action: RunAction, rawId: string, options: RunOptions): Promise<RunReport> {
    // Both checks come before any journal or Genesys access.
    const userId = checkedUserId(rawId);
    checkRunOptions(options);
    if (action === 'deactivate' && options.moveDivision && !this.#deps.offboardingDivisionId) {
      throw new DeactivationError('no_offboarding_division', 'moveDivision asks for the offboarding division, but ENRICHER_OFFBOARDING_DIVISION_ID is not set');
    }
    const session = await this.#journal.open(userId);
    try {
      return await executeRun(this.#deps, session, action, userId, options);
    } finally {
      await session.close();
    }
  }

  // One look-up per Deactivator; a failed one is forgotten so the next run asks again.
  #offlinePresenceId(reads: UserReads): Promise<string> {
    this.#offline ??= reads.presenceDefinitions().then((definitions) => {
      const offline = definitions.find((d) => isOffline(d.systemPresence));
      if (!offline) {
        throw new GenesysError({ status: 0, code: 'no_offline_presence', retryable: false, operation: 'getPresenceDefinitions0', detail: 'the org has no Offline system presence' });
      }
      return offline.id;
    });
    this.#offline.catch(() => {
      this.#offline = undefined;
    });
    return this.#offline;
  }
}

/** Most runs one listing returns. */
export const MAX_RUNS = 10_000;

function checkedQuery(query: UserQuery): UserQuery {
  const bad = (why: string) => new DeactivationError('invalid_query', why);
  if (typeof query !== 'object' || query === null) throw bad('give an email, or an authority and an external key');
  if ('email' in query) {
    const email = typeof query.email === 'string' ? query.email.trim() : '';
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw bad('email must be an email address (at most 254 characters)');
    return { email };
  }
  const { authority, externalKey } = query as { authority?: unknown; externalKey?: unknown };
  if (typeof authority !== 'string' || authority.length === 0 || authority.length > 256) throw bad('authority must be a non-empty string of at most 256 characters');
  if (typeof externalKey !== 'string' || externalKey.length === 0 || externalKey.length > 256) throw bad('externalKey must be a non-empty string of at most 256 characters');
  return { authority, externalKey };
}

function toFound(user: SnapshotUser): FoundUser {
  return {
    userId: user.id,
    ...(user.name !== undefined ? { name: user.name } : {}),
    ...(user.username !== undefined ? { username: user.username } : {}),
    ...(user.email !== undefined ? { email: user.email } : {}),
    state: user.state,
    ...(user.division ? { division: user.division } : {}),
  };
}

function checkedUserId(rawId: string): string {
  const userId = typeof rawId === 'string' ? normalizeUserId(rawId) : undefined;
  if (userId === undefined) throw new DeactivationError('invalid_user_id', 'not a Genesys user id (expected a UUID)');
  return userId;
}

// The adapters validate their input; a bad value here is a programming error, so it throws a TypeError.
function checkRunOptions(options: RunOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${OWNER}: run options are required`);
  if (typeof options.actor !== 'string' || options.actor.length === 0) throw new TypeError(`${OWNER}: run option "actor" must be a non-empty string`);
  for (const flag of ['dryRun', 'removeGroups', 'moveDivision', 'removeManagementUnit'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') throw new TypeError(`${OWNER}: run option "${flag}" must be a boolean`);
  }
  if (options.reason !== undefined && !STATE_CHANGE_REASONS.includes(options.reason)) {
    throw new TypeError(`${OWNER}: run option "reason" must be one of ${STATE_CHANGE_REASONS.join(', ')}`);
  }
}
