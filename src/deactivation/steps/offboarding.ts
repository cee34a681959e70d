import type { OptionalStep, Ref, UserSnapshot } from '../snapshot';
import type { StepName, StepReport } from '../types';
import { failedStep } from '../report';
import { applyPlan, named, skipped } from './plan';
import type { Step, StepContext } from './types';

/**
 * The optional steps (off unless the run asks for them; a resumed run follows
 * the plan recorded in its snapshot, a reactivation the plan of the
 * deactivations it undoes). When not asked for, each is `skipped` and
 * reports what it found.
 */

/** Deactivate: the user removed from each of their groups (groups still grant queues and roles). */
export const removeGroups: Step = {
  name: 'groups',
  run: async (ctx) => {
    if (!asked(ctx.snapshot, 'groups')) return skipped('groups', (ctx.snapshot.groups ?? []).map(describe));
    // Expansions are best effort in Genesys: when the snapshot did not get the list, ask again rather than guess
    // "no groups" (then only this step's report in the journal says which groups were removed).
    const groups = ctx.snapshot.groups ?? (await ctx.reads.groups(ctx.userId));
    if (!groups) return failedStep('groups', 'groups_unknown', "Genesys did not return the user's groups (expand=groups); run again");
    return applyPlan(ctx, 'groups', { found: groups.map(describe), targets: groups }, describe, async (targets) => {
      for (const group of targets) await ctx.writes.removeFromGroup(group.id, ctx.userId);
    });
  },
};

/** Reactivate: the user added back to the groups a recorded deactivation removed them from. */
export const restoreGroups: Step = {
  name: 'groups',
  run: (ctx) => {
    const now = ctx.snapshot.groups ?? [];
    const source = ctx.source ?? ctx.snapshot;
    if (!asked(source, 'groups')) return Promise.resolve(skipped('groups', now.map(describe)));
    const current = new Set(now.map((g) => g.id));
    const targets = (source.groups ?? []).filter((g) => !current.has(g.id));
    return applyPlan(ctx, 'groups', { found: now.map(describe), targets }, describe, async (items) => {
      for (const group of items) await ctx.writes.addToGroup(group.id, ctx.userId);
    });
  },
};

/** Deactivate: the user moved to the offboarding division. */
export const moveToOffboardingDivision: Step = {
  name: 'division',
  run: (ctx) => moveDivision(ctx, ctx.snapshot, ctx.snapshot.offboarding?.divisionId),
};

/** Reactivate: the user moved back to the division they were in. */
export const restoreDivision: Step = {
  name: 'division',
  run: (ctx) => {
    const source = ctx.source ?? ctx.snapshot;
    return moveDivision(ctx, source, source.user.division?.id);
  },
};

/** Deactivate: the user taken out of their workforce management unit. */
export const removeFromManagementUnit: Step = {
  name: 'management_unit',
  run: (ctx) => {
    const unit = ctx.snapshot.managementUnit ?? undefined;
    if (!asked(ctx.snapshot, 'management_unit')) return Promise.resolve(skipped('management_unit', {}));
    const targets = unit ? [unit] : [];
    return applyPlan(ctx, 'management_unit', { found: targets.map(describe), targets }, describe, () => ctx.writes.moveToManagementUnit(ctx.userId, undefined));
  },
};

/** Reactivate: the user put back into the management unit they left. */
export const restoreManagementUnit: Step = {
  name: 'management_unit',
  run: (ctx) => {
    const source = ctx.source ?? ctx.snapshot;
    const unit = source.managementUnit ?? undefined;
    const now = ctx.snapshot.managementUnit ?? undefined;
    if (!asked(source, 'management_unit')) return Promise.resolve(skipped('management_unit', {}));
    const targets = unit && unit.id !== now?.id ? [unit] : [];
    return applyPlan(ctx, 'management_unit', { found: now ? [describe(now)] : [], targets }, describe, ([target]) =>
      ctx.writes.moveToManagementUnit(ctx.userId, target!.id),
    );
  },
};

function moveDivision(ctx: StepContext, plan: UserSnapshot, to: string | undefined): Promise<StepReport> {
  const now = ctx.snapshot.user.division;
  const found = now?.id ? [{ id: now.id, ...named(now.name) }] : [];
  if (!asked(plan, 'division') || !to) return Promise.resolve(skipped('division', found));
  const targets = now?.id?.toLowerCase() === to.toLowerCase() ? [] : [to];
  return applyPlan(ctx, 'division' as StepName, { found, targets }, (id) => ({ id, name: `${now?.name ?? now?.id ?? 'unknown'} -> ${id}` }), () =>
    ctx.writes.moveToDivision(to, ctx.userId),
  );
}

function asked(snapshot: UserSnapshot, step: OptionalStep): boolean {
  return snapshot.offboarding?.steps.includes(step) === true;
}

function describe(ref: Ref): { id: string; name?: string } {
  return { id: ref.id, ...named(ref.name) };
}
