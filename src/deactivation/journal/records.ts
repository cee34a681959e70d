import type { RunStatus, StateChangeReason, StepReport } from '../types';
import type { UserSnapshot } from '../snapshot';

/** Format version written into every record; a reader skips records of another version. */
export const JOURNAL_FORMAT = 1;

export type RunAction = 'deactivate' | 'reactivate';

interface Base {
  readonly v: typeof JOURNAL_FORMAT;
  readonly runId: string;
  /** ISO 8601. */
  readonly at: string;
}

/** A run began. `resumes` names the interrupted run it continues; `sourceRunId` the deactivation a reactivation restores. */
export interface RunStartedRecord extends Base {
  readonly type: 'run_started';
  readonly action: RunAction;
  readonly dryRun: boolean;
  readonly actor: string;
  readonly reason?: StateChangeReason;
  readonly resumes?: string;
  readonly sourceRunId?: string;
}

/** The user as the run found it, before any change. Written once per chain of resumed runs. */
export interface SnapshotRecord extends Base {
  readonly type: 'snapshot';
  readonly snapshot: UserSnapshot;
}

/** One step's outcome, written (and synced) before the next step starts. */
export interface StepRecord extends Base {
  readonly type: 'step';
  readonly report: StepReport;
}

/** The run ended. `userVersion`: the user's version at the end (tells later runs whether anything changed since). */
export interface RunFinishedRecord extends Base {
  readonly type: 'run_finished';
  readonly status: RunStatus;
  readonly userVersion?: number;
  readonly error?: { readonly code: string; readonly message: string };
}

export type JournalRecord = RunStartedRecord | SnapshotRecord | StepRecord | RunFinishedRecord;

const TYPES = new Set(['run_started', 'snapshot', 'step', 'run_finished']);

/**
 * One JSON line as a record, or undefined when it is not one (a line torn by
 * a crash mid-write, another format version): a reader skips those.
 */
export function parseRecord(line: string): JournalRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (r.v !== JOURNAL_FORMAT || typeof r.runId !== 'string' || typeof r.type !== 'string' || !TYPES.has(r.type)) return undefined;
  if (r.type === 'snapshot' && (typeof r.snapshot !== 'object' || r.snapshot === null)) return undefined;
  if (r.type === 'step' && (typeof r.report !== 'object' || r.report === null)) return undefined;
  return value as JournalRecord;
}
