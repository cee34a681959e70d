import type { RunSummary } from '../types';
import type { JournalRecord } from './records';

/** The runs one user's records tell, each with its start, finish and outcome. */
export function runSummaries(userId: string, records: readonly JournalRecord[]): RunSummary[] {
  const runs = new Map<string, { -readonly [K in keyof RunSummary]: RunSummary[K] }>();
  for (const record of records) {
    if (record.type === 'run_started') {
      runs.set(record.runId, {
        runId: record.runId,
        userId,
        action: record.action,
        dryRun: record.dryRun,
        actor: record.actor,
        ...(record.reason ? { reason: record.reason } : {}),
        ...(record.resumes ? { resumes: record.resumes } : {}),
        startedAt: record.at,
        outcome: 'interrupted',
      });
    } else if (record.type === 'run_finished') {
      const run = runs.get(record.runId);
      if (run) Object.assign(run, { finishedAt: record.at, outcome: record.status });
    }
  }
  return [...runs.values()];
}
