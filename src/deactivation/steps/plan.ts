import type { LeftItem, StepName, StepReport } from '../types';
import type { StepContext } from './types';

/** An item as reports list it. */
export interface Named {
  readonly id: string;
  readonly name?: string;
}

/** What a list step found, what it will change, and what it leaves and why. */
export interface ItemPlan<T> {
  readonly found: readonly Named[];
  readonly targets: readonly T[];
  readonly left?: readonly LeftItem[];
}

/**
 * The common shape of list steps: `planned` in a dry run, `already` with
 * nothing to change, else `apply` and `done`. `changed` lists the targets.
 */
export async function applyPlan<T>(
  ctx: StepContext,
  step: StepName,
  plan: ItemPlan<T>,
  describe: (target: T) => Named,
  apply: (targets: readonly T[]) => Promise<void>,
): Promise<StepReport> {
  const base = { step, found: plan.found, changed: plan.targets.map(describe), ...(plan.left && plan.left.length > 0 ? { left: plan.left } : {}) };
  if (ctx.dryRun) return { ...base, outcome: 'planned' };
  if (plan.targets.length === 0) return { ...base, outcome: 'already' };
  await apply(plan.targets);
  return { ...base, outcome: 'done' };
}

/** A step that does nothing for this action, with what it leaves as it is and why. */
export function skipped(step: StepName, found: StepReport['found'], left: readonly LeftItem[] = []): StepReport {
  return { step, outcome: 'skipped', found, ...(left.length > 0 ? { left } : {}) };
}

/** `name`, or nothing, for spreading into a Named. */
export function named(name: string | undefined): { name?: string } {
  return name === undefined ? {} : { name };
}
