import { GenesysError } from '../../directory/genesys/errors';
import { mapUser } from '../../directory/lookup/mapUser';
import { DeactivationError, type StepReport } from '../types';
import type { SnapshotUser } from '../snapshot';
import type { Step, StepContext } from './types';

type Target = 'active' | 'inactive';

/**
 * Deactivate: state `inactive`. Without a reason: `PATCH /api/v2/users/{id}`
 * `{state, version}`, the documented primary path (what SCIM does). With a
 * reason: `PUT /api/v2/users/{id}/state` `{state, version, stateChangeReason}`,
 * the only call that keeps a reason in Genesys. Both send the version, and both
 * re-read and retry on a version conflict. The reason is journalled either way.
 */
export const stateInactive: Step = { name: 'state', run: (ctx) => changeState(ctx, 'inactive') };

/** Reactivate: state `active` by PATCH with version. */
export const stateActive: Step = { name: 'state', run: (ctx) => changeState(ctx, 'active') };

async function changeState(ctx: StepContext, target: Target): Promise<StepReport> {
  const before = ctx.snapshot.user;
  const via = ctx.reason && target === 'inactive' ? 'PUT /api/v2/users/{id}/state' : 'PATCH /api/v2/users/{id}';
  const found = { state: before.state, version: before.version };
  const change = { from: before.state, to: target, via, ...(ctx.reason && target === 'inactive' ? { reason: ctx.reason } : {}) };
  if (ctx.dryRun) return { step: 'state', outcome: 'planned', found, changed: target === 'inactive' ? { ...change, note: viaNote(ctx) } : change };
  if (before.state === target) return { step: 'state', outcome: 'already', found };
  const { user, conflicts } = await applyState(ctx, target);
  ctx.scratch.user = user;
  return { step: 'state', outcome: 'done', found, changed: { ...change, version: user.version, versionConflicts: conflicts } };
}

/** A dry run says which call the real run makes, since the reason decides it. */
function viaNote(ctx: StepContext): string {
  return ctx.reason
    ? 'with a reason the run uses PUT /api/v2/users/{id}/state, the call that records it in Genesys'
    : 'without a reason the run uses PATCH /api/v2/users/{id}; given a reason, it uses PUT /api/v2/users/{id}/state instead, which records the reason';
}

// Starts from the user as read at the start of this run: when resuming, the cut-short run may already have done it.
async function applyState(ctx: StepContext, target: Target): Promise<{ user: SnapshotUser; conflicts: number }> {
  let user = ctx.scratch.user;
  for (let conflicts = 0; ; conflicts++) {
    if (user.state === target) return { user, conflicts };
    try {
      return { user: await send(ctx, user, target), conflicts };
    } catch (err) {
      if (!isVersionConflict(err) || conflicts >= ctx.versionConflictRetries) throw err;
    }
    user = await reread(ctx);
  }
}

async function send(ctx: StepContext, user: SnapshotUser, target: Target): Promise<SnapshotUser> {
  if (ctx.reason && target === 'inactive') {
    const answer = await ctx.writes.putState(ctx.userId, target, user.version, ctx.reason);
    return { ...user, state: target, version: typeof answer?.version === 'number' ? answer.version : user.version + 1 };
  }
  const entity = await ctx.writes.patchState(ctx.userId, target, user.version);
  const updated = mapUser(entity ?? {});
  return updated && typeof updated.version === 'number' ? (updated as SnapshotUser) : { ...user, state: target, version: user.version + 1 };
}

async function reread(ctx: StepContext): Promise<SnapshotUser> {
  const read = await ctx.reads.user(ctx.userId);
  if (read.status === 'deleted') throw new DeactivationError('user_deleted', `user ${ctx.userId} was deleted during the run`);
  if (read.status === 'not_found') throw new DeactivationError('user_not_found', `user ${ctx.userId} disappeared during the run`);
  return read.user;
}

/** genesys-api.md: 409, 408, or 400 "does not match the current version" mean re-read the version and retry. */
export function isVersionConflict(err: unknown): boolean {
  if (!(err instanceof GenesysError)) return false;
  if (err.status === 409 || err.status === 408) return true;
  return err.status === 400 && /does not match the current version/i.test(err.message);
}
