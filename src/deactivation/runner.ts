import { GenesysError } from '../directory/genesys/errors';
import type { GenesysCaller } from '../directory/lookup/userLookup';
import type { Logger } from '../telemetry/logger';
import { unavailable } from './errors';
import { takeSnapshot } from './genesys/takeSnapshot';
import { UserReads } from './genesys/userReads';
import { UserWrites } from './genesys/userWrites';
import { RunHistory, type RunChain } from './journal/history';
import type { RunAction } from './journal/records';
import { RunRecorder } from './journal/recorder';
import type { JournalSession } from './journal/types';
import { failedStep, runStatus, snapshotStep } from './report';
import type { OffboardingPlan, OptionalStep, SnapshotUser, UserSnapshot } from './snapshot';
import { STEPS } from './steps/sequences';
import type { IdentityCache, RunScratch, Step, StepContext } from './steps/types';
import { DeactivationError, type RunOptions, type RunReport, type StepReport } from './types';

/** What every run of one Deactivator shares. */
export interface RunDeps {
  readonly client: GenesysCaller;
  readonly cache?: IdentityCache;
  readonly logger: Logger;
  readonly now: () => number;
  readonly newId: () => string;
  readonly pageSize: number;
  readonly versionConflictRetries: number;
  /** The `Offline` presence definition's id, looked up once. */
  readonly offlinePresenceId: (reads: UserReads) => Promise<string>;
  /** Where the optional `division` step moves users; undefined when not configured. */
  readonly offboardingDivisionId?: string;
}

/**
 * One run for a user whose journal `session` holds the lock: works out from
 * the journal whether to resume and what to restore, records the start, takes
 * (or takes over) the snapshot, runs the steps recording each outcome before
 * the next, and records the finish.
 *
 * Genesys failures of a step end the run with status `failed`; the journal
 * lets the next run resume. Refusals (user unknown, deleted, no snapshot)
 * and journal failures reject with a DeactivationError. Any other error
 * (a crash) rejects as it is and leaves the run unfinished in the journal,
 * exactly as if the process had died: the next run resumes it.
 */
export async function executeRun(deps: RunDeps, session: JournalSession, action: RunAction, userId: string, options: RunOptions): Promise<RunReport> {
  const dryRun = options.dryRun === true;
  const history = new RunHistory(session.records);
  const resuming = history.resumable(action);
  const source = action === 'reactivate' ? history.restoreSource(resuming?.firstRunId) : undefined;
  if (action === 'reactivate' && !source) {
    throw new DeactivationError('no_snapshot', `no recorded deactivation of user ${userId} to restore from`);
  }
  const recorder = new RunRecorder(session, deps.newId(), deps.now, dryRun);
  const startedAt = new Date(deps.now()).toISOString();
  await recorder.started({
    action,
    dryRun,
    actor: options.actor,
    ...(options.reason ? { reason: options.reason } : {}),
    ...(resuming && !dryRun ? { resumes: resuming.runId } : {}),
    ...(source ? { sourceRunId: source.runId } : {}),
  });
  const log = deps.logger.child({ runId: recorder.runId, userId, action, dryRun });
  try {
    const call = options.signal ? { signal: options.signal } : {};
    const reads = new UserReads(deps.client, call, deps.pageSize);
    const current = await readCurrent(reads, userId);
    const plan = action === 'deactivate' ? planOf(deps, options) : source?.snapshot.offboarding;
    const snapshot = resuming?.snapshot ?? (await snapshotOf(reads, current, startedAt, plan));
    if (!resuming) await recorder.snapshot(snapshot);
    const scratch: RunScratch = { user: current };
    const base: Omit<StepContext, 'earlier'> = {
      action,
      userId,
      dryRun,
      reason: options.reason,
      snapshot,
      source: source?.snapshot,
      reads,
      writes: new UserWrites(deps.client, call),
      cache: deps.cache,
      sessionsRevokedAtVersion: history.sessionsRevokedAtVersion(),
      versionConflictRetries: deps.versionConflictRetries,
      offlinePresenceId: () => deps.offlinePresenceId(reads),
      scratch,
      now: deps.now,
    };
    const steps = await runSteps(base, recorder, resuming, options.signal, log);
    const all = [snapshotStep(snapshot, dryRun, steps), ...steps];
    const status = runStatus(dryRun, all);
    await recorder.finished(status, dryRun ? undefined : scratch.user.version);
    log.info({ status, resumed: !!resuming, actor: options.actor }, 'deactivation run finished');
    return {
      runId: recorder.runId,
      action,
      userId,
      dryRun,
      status,
      ...(options.reason ? { reason: options.reason } : {}),
      actor: options.actor,
      user: { ...(snapshot.user.name ? { name: snapshot.user.name } : {}), stateBefore: snapshot.user.state, stateAfter: scratch.user.state },
      resumed: !!resuming,
      steps: all,
      startedAt,
      finishedAt: new Date(deps.now()).toISOString(),
    };
  } catch (err) {
    if (err instanceof DeactivationError) {
      log.info({ code: err.code }, 'deactivation run refused or failed');
      await recorder.finished('failed', undefined, { code: err.code, message: err.message }).catch(() => undefined);
    }
    throw err;
  }
}

// Steps a resumed chain completed are taken over as recorded; after a failure the rest are skipped.
async function runSteps(
  base: Omit<StepContext, 'earlier'>,
  recorder: RunRecorder,
  resuming: RunChain | undefined,
  signal: AbortSignal | undefined,
  log: Logger,
): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  let failed = false;
  for (const step of STEPS[base.action]) {
    const carried = resuming?.completed.get(step.name);
    if (failed || carried) {
      reports.push(carried && !failed ? carried : { step: step.name, outcome: 'skipped' });
      continue;
    }
    const ctx: StepContext = { ...base, earlier: [...reports] };
    const report = await runOne(step, ctx, signal);
    log.debug({ step: step.name, outcome: report.outcome, code: report.error?.code }, 'deactivation step');
    await recorder.step(report);
    reports.push(report);
    failed = report.outcome === 'failed';
  }
  return reports;
}

async function runOne(step: Step, ctx: StepContext, signal: AbortSignal | undefined): Promise<StepReport> {
  if (signal?.aborted) return failedStep(step.name, 'aborted', 'the run was aborted before this step');
  try {
    return await step.run(ctx);
  } catch (err) {
    if (err instanceof GenesysError) return failedStep(step.name, err.code, err.message);
    throw err;
  }
}

async function readCurrent(reads: UserReads, userId: string): Promise<SnapshotUser> {
  let read;
  try {
    read = await reads.user(userId);
  } catch (err) {
    throw unavailable(err, 'reading the user');
  }
  if (read.status === 'not_found') throw new DeactivationError('user_not_found', `user ${userId} not found`);
  if (read.status === 'deleted') throw new DeactivationError('user_deleted', `user ${userId} is deleted; soft-deactivation does not apply`);
  return read.user;
}

/** The optional deactivation steps the run asks for. */
function planOf(deps: RunDeps, options: RunOptions): OffboardingPlan | undefined {
  const steps: OptionalStep[] = [
    ...(options.removeGroups ? ['groups' as const] : []),
    ...(options.moveDivision ? ['division' as const] : []),
    ...(options.removeManagementUnit ? ['management_unit' as const] : []),
  ];
  if (steps.length === 0) return undefined;
  return { steps, ...(options.moveDivision && deps.offboardingDivisionId ? { divisionId: deps.offboardingDivisionId } : {}) };
}

async function snapshotOf(reads: UserReads, user: SnapshotUser, takenAt: string, plan: OffboardingPlan | undefined): Promise<UserSnapshot> {
  try {
    return await takeSnapshot(reads, user, takenAt, plan);
  } catch (err) {
    throw unavailable(err, 'taking the snapshot');
  }
}
