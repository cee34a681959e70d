import type { JournalRecord } from './records';

/**
 * Where runs are recorded, per user. Implementations must make `append`
 * durable before it resolves and must give a user's journal to one run at a
 * time, across processes.
 */
export interface RunJournal {
  /**
   * Takes the user's lock and reads the records so far. Rejects with a
   * DeactivationError `run_in_progress` while another run (in any process)
   * holds it, or `journal_error` when the journal cannot be read or locked.
   * `userId` must be a normalised Genesys user id.
   */
  open(userId: string): Promise<JournalSession>;
  /** The user's records without locking (a run may be appending): for inspection. */
  read(userId: string): Promise<readonly JournalRecord[]>;
  /**
   * The ids of every user with a journal, for the runs listing. Optional: a
   * journal without it cannot list runs across users (`runs_unavailable`).
   */
  users?(): Promise<readonly string[]>;
}

/** One run's hold on a user's journal. */
export interface JournalSession {
  /** The records present when the session opened, in order. */
  readonly records: readonly JournalRecord[];
  /** Appends a record and waits until it is on disk. Rejects with DeactivationError `journal_error`. */
  append(record: JournalRecord): Promise<void>;
  /** Releases the lock. Safe to call twice. */
  close(): Promise<void>;
}
