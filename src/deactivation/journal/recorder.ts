import type { RunStatus, StepReport } from '../types';
import type { UserSnapshot } from '../snapshot';
import { JOURNAL_FORMAT, type RunStartedRecord } from './records';
import type { JournalSession } from './types';

type StartFields = Omit<RunStartedRecord, 'v' | 'type' | 'runId' | 'at'>;

/**
 * Writes one run's records. A dry run changes nothing, so only its start and
 * finish are recorded (an audit trail); it leaves nothing to resume.
 */
export class RunRecorder {
  constructor(
    private readonly session: JournalSession,
    readonly runId: string,
    private readonly now: () => number,
    private readonly dryRun: boolean,
  ) {}

  started(fields: StartFields): Promise<void> {
    return this.session.append({ ...this.#base(), type: 'run_started', ...fields });
  }

  async snapshot(snapshot: UserSnapshot): Promise<void> {
    if (!this.dryRun) await this.session.append({ ...this.#base(), type: 'snapshot', snapshot });
  }

  async step(report: StepReport): Promise<void> {
    if (!this.dryRun) await this.session.append({ ...this.#base(), type: 'step', report });
  }

  finished(status: RunStatus, userVersion?: number, error?: { code: string; message: string }): Promise<void> {
    return this.session.append({
      ...this.#base(),
      type: 'run_finished',
      status,
      ...(userVersion !== undefined ? { userVersion } : {}),
      ...(error ? { error } : {}),
    });
  }

  #base(): { v: typeof JOURNAL_FORMAT; runId: string; at: string } {
    return { v: JOURNAL_FORMAT, runId: this.runId, at: new Date(this.now()).toISOString() };
  }
}
