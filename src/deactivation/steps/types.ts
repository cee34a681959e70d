import type { GenesysUser, Resolution } from '../../directory/types';
import type { UserReads } from '../genesys/userReads';
import type { UserWrites } from '../genesys/userWrites';
import type { RunAction } from '../journal/records';
import type { SnapshotUser, UserSnapshot } from '../snapshot';
import type { StateChangeReason, StepName, StepReport } from '../types';

/** The enricher's cache as a run uses it (CachedIdentityResolver fits). */
export interface IdentityCache {
  /** Caches the user as found and fresh (a fleet's cache resolves once the other replicas are told). */
  set(user: GenesysUser): void | Promise<void>;
  /** The cached resolution, if any, without I/O. */
  peek(id: string): Resolution | undefined;
  /** Resolves ids through the cache (misses go to Genesys). Never rejects. */
  resolve(ids: readonly string[]): Promise<ReadonlyMap<string, Resolution>>;
}

/** What a run learns as it goes, for later steps and the report. One per run. */
export interface RunScratch {
  /** The latest known user record: read at the start, then the state change's answer, then the read-back. */
  user: SnapshotUser;
  /** The verify step's read-back, when it ran in this run. */
  readBack?: UserSnapshot;
}

/** Everything a step may use. Steps plan from `snapshot` (and `source`), never from a fresh read. */
export interface StepContext {
  readonly action: RunAction;
  readonly userId: string;
  readonly dryRun: boolean;
  readonly reason?: StateChangeReason;
  /** The user before this run changed anything; when resuming, the interrupted run's snapshot. */
  readonly snapshot: UserSnapshot;
  /** Reactivation: the state to restore. */
  readonly source?: UserSnapshot;
  readonly reads: UserReads;
  readonly writes: UserWrites;
  readonly cache?: IdentityCache;
  /** From the journal: the user version at which our last deactivation left sessions revoked. */
  readonly sessionsRevokedAtVersion?: number;
  /** Re-reads and retries of a state change after version conflicts. */
  readonly versionConflictRetries: number;
  /** The id of the `Offline` system presence (looked up once per Deactivator). */
  readonly offlinePresenceId: () => Promise<string>;
  /** Reports of the steps before this one (carried over from an interrupted run included). */
  readonly earlier: readonly StepReport[];
  readonly scratch: RunScratch;
  /** Wall clock, milliseconds since the epoch. */
  readonly now: () => number;
}

/**
 * One step of a run. `run` resolves with the step's report (`planned` in a
 * dry run, which must change nothing); Genesys failures reject with the
 * client's GenesysError and the runner records the step as failed. Applying a
 * step twice must end in the same state: a resumed run repeats the step that
 * was cut short.
 */
export interface Step {
  readonly name: StepName;
  run(ctx: StepContext): Promise<StepReport>;
}
