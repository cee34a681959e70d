import { CHANGING_STEPS } from './journal/history';
import { summarize, type UserSnapshot } from './snapshot';
import type { RunStatus, StepReport } from './types';

/** Whether any step changed Genesys (cache and read steps do not count). */
export function changedGenesys(steps: readonly StepReport[]): boolean {
  return steps.some((s) => CHANGING_STEPS.has(s.step) && s.outcome === 'done');
}

/**
 * A run's status from its steps: `planned` for a dry run; `failed` if a step
 * failed; `partial` if the read-back found something that did not take;
 * `unchanged` if no step changed Genesys; else `completed`.
 */
export function runStatus(dryRun: boolean, steps: readonly StepReport[]): RunStatus {
  if (dryRun) return 'planned';
  if (steps.some((s) => s.outcome === 'failed')) return 'failed';
  if ((steps.find((s) => s.step === 'verify')?.left?.length ?? 0) > 0) return 'partial';
  return changedGenesys(steps) ? 'completed' : 'unchanged';
}

/**
 * The snapshot step's report, derived when the run ends so a resumed run
 * reports it as an uninterrupted one would: `done` when the run went on to
 * change something, `already` when there was nothing to change.
 */
export function snapshotStep(snapshot: UserSnapshot, dryRun: boolean, steps: readonly StepReport[]): StepReport {
  const outcome = dryRun ? 'planned' : changedGenesys(steps) ? 'done' : 'already';
  return { step: 'snapshot', outcome, found: { ...summarize(snapshot), takenAt: snapshot.takenAt } };
}

/** A failed step's report; `message` must already be free of secrets (GenesysError messages are). */
export function failedStep(step: StepReport['step'], code: string, message: string): StepReport {
  return { step, outcome: 'failed', error: { code, message } };
}
