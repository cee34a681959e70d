import type { RunStatus, StepName, StepReport } from '../types';
import { mergeSnapshots, type UserSnapshot } from '../snapshot';
import type { JournalRecord, RunAction, RunStartedRecord } from './records';

/** One run as its records tell it. */
export interface RecordedRun {
  readonly started: RunStartedRecord;
  readonly snapshot?: UserSnapshot;
  /** Step outcomes in the order written (a step re-run after failing appears again). */
  readonly steps: readonly StepReport[];
  readonly finished?: { readonly status: RunStatus; readonly userVersion?: number };
}

/**
 * A run and the runs it resumed, seen as one: the first run's snapshot and
 * every step completed along the way (a later outcome of a step wins).
 */
export interface RunChain {
  /** The latest run of the chain. */
  readonly runId: string;
  /** The run that started the chain (and took its snapshot). */
  readonly firstRunId: string;
  readonly action: RunAction;
  /** The snapshot taken by the chain's first run. */
  readonly snapshot: UserSnapshot;
  /** Steps that ended done, already or skipped, by name. Failed steps are not here: they run again. */
  readonly completed: ReadonlyMap<StepName, StepReport>;
}

const COMPLETED = new Set(['done', 'already', 'skipped']);
/** Steps that change Genesys; a chain that did one of them has something to restore. */
export const CHANGING_STEPS: ReadonlySet<StepName> = new Set<StepName>([
  'routing_status', 'presence', 'queues', 'skills', 'languages', 'role_grants', 'state', 'sessions',
  'station', 'groups', 'division', 'management_unit',
]);

/**
 * What a user's journal says about earlier runs: what to resume, what to
 * restore, and whether sessions are known to be revoked. Dry runs count for
 * none of it.
 */
export class RunHistory {
  readonly runs: readonly RecordedRun[];
  readonly #byId: ReadonlyMap<string, RecordedRun>;

  constructor(records: readonly JournalRecord[]) {
    const runs = new Map<string, { started: RunStartedRecord; snapshot?: UserSnapshot; steps: StepReport[]; finished?: RecordedRun['finished'] }>();
    for (const record of records) {
      if (record.type === 'run_started') {
        runs.set(record.runId, { started: record, steps: [] });
        continue;
      }
      const run = runs.get(record.runId);
      if (!run) continue; // its start was torn away: nothing to attach it to
      if (record.type === 'snapshot') run.snapshot = record.snapshot;
      else if (record.type === 'step') run.steps.push(record.report);
      else run.finished = { status: record.status, userVersion: record.userVersion };
    }
    this.runs = [...runs.values()];
    this.#byId = runs;
  }

  /**
   * The chain to continue for `action`: the latest real run, if it is of this
   * action and was interrupted (no finish record) or finished `failed`, and
   * its chain has a snapshot. A run of the other action in between abandons it.
   */
  resumable(action: RunAction): RunChain | undefined {
    const last = this.#lastReal();
    if (!last || last.started.action !== action) return undefined;
    if (last.finished && last.finished.status !== 'failed') return undefined;
    return this.chain(last.started.runId);
  }

  /**
   * What a reactivation restores: the deactivation chains that changed
   * something since the last reactivation that did (or, with none since, what
   * that reactivation restored, so a repeat is `unchanged`; only runs before
   * `beforeRunId`, when given: a resumed reactivation looks past itself),
   * merged oldest first. A re-run after a `partial` deactivation, or after
   * someone re-added a skill to the inactive user, snapshots only what was
   * left; merging keeps what the first run removed. The merged snapshot is the
   * oldest one's, plus items only later ones saw. Interrupted chains count, so
   * a half-done offboarding can be undone too. `runId` is the latest chain's.
   */
  restoreSource(beforeRunId?: string): { readonly runId: string; readonly snapshot: UserSnapshot } | undefined {
    const end = beforeRunId === undefined ? this.runs.length : this.runs.findIndex((r) => r.started.runId === beforeRunId);
    const chains: RunChain[] = [];
    const seen = new Set<string>();
    for (let i = (end < 0 ? this.runs.length : end) - 1; i >= 0; i--) {
      const run = this.runs[i]!;
      if (run.started.dryRun || seen.has(run.started.runId)) continue;
      const chain = this.chain(run.started.runId);
      for (let r: RecordedRun | undefined = run; r; r = r.started.resumes ? this.#byId.get(r.started.resumes) : undefined) {
        if (seen.has(r.started.runId)) break;
        seen.add(r.started.runId);
      }
      if (!changedAnything(chain)) continue;
      if (run.started.action === 'reactivate') {
        // Nothing deactivated since the last reactivation: a new one re-applies what that one restored.
        if (chains.length === 0) return this.restoreSource(chain!.firstRunId);
        break;
      }
      chains.unshift(chain!);
    }
    if (chains.length === 0) return undefined;
    return { runId: chains[chains.length - 1]!.runId, snapshot: mergeSnapshots(chains.map((c) => c.snapshot)) };
  }

  /**
   * The user version at which the last finished run left the user with its
   * sessions revoked, if that run was a deactivation that completed the
   * sessions step. While the version stays the same the user has stayed
   * inactive, could not log in, and has no session to revoke.
   */
  sessionsRevokedAtVersion(): number | undefined {
    for (let i = this.runs.length - 1; i >= 0; i--) {
      const run = this.runs[i]!;
      if (run.started.dryRun || !run.finished) continue;
      const chain = this.chain(run.started.runId);
      // A run that failed before changing anything (e.g. Genesys was down) tells nothing either way.
      if (run.finished.status === 'failed' && !changedAnything(chain)) continue;
      if (run.started.action !== 'deactivate' || run.finished.status === 'failed') return undefined;
      const sessions = chain?.completed.get('sessions');
      return sessions && sessions.outcome !== 'skipped' ? run.finished.userVersion : undefined;
    }
    return undefined;
  }

  /** The chain ending at `runId`, or undefined when no run of it has a snapshot. */
  chain(runId: string): RunChain | undefined {
    const runs: RecordedRun[] = [];
    const seen = new Set<string>();
    for (let run = this.#byId.get(runId); run && !seen.has(run.started.runId); run = run.started.resumes ? this.#byId.get(run.started.resumes) : undefined) {
      seen.add(run.started.runId);
      runs.unshift(run);
    }
    const snapshot = runs.find((r) => r.snapshot)?.snapshot;
    if (!snapshot || runs.length === 0) return undefined;
    const completed = new Map<StepName, StepReport>();
    for (const run of runs) {
      for (const step of run.steps) {
        if (COMPLETED.has(step.outcome)) completed.set(step.step, step);
        else completed.delete(step.step);
      }
    }
    const first = runs[0]!.started;
    return { runId, firstRunId: first.runId, action: first.action, snapshot, completed };
  }

  #lastReal(): RecordedRun | undefined {
    for (let i = this.runs.length - 1; i >= 0; i--) if (!this.runs[i]!.started.dryRun) return this.runs[i];
    return undefined;
  }
}

function changedAnything(chain: RunChain | undefined): boolean {
  return !!chain && [...chain.completed.values()].some((s) => CHANGING_STEPS.has(s.step) && s.outcome === 'done');
}
