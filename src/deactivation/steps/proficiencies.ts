import type { ProficiencyAssignment } from '../snapshot';
import { applyPlan, named } from './plan';
import type { Step, StepContext } from './types';

type Kind = 'skills' | 'languages';

/** Deactivate: every routing skill removed (one call each; already gone counts as done). */
export const removeSkills: Step = { name: 'skills', run: (ctx) => remove(ctx, 'skills') };
/** Deactivate: every routing language removed. */
export const removeLanguages: Step = { name: 'languages', run: (ctx) => remove(ctx, 'languages') };
/** Reactivate: skills of the source snapshot put back with their proficiency. */
export const restoreSkills: Step = { name: 'skills', run: (ctx) => restore(ctx, 'skills') };
/** Reactivate: languages of the source snapshot put back with their proficiency. */
export const restoreLanguages: Step = { name: 'languages', run: (ctx) => restore(ctx, 'languages') };

function remove(ctx: StepContext, kind: Kind) {
  const items = ctx.snapshot[kind];
  return applyPlan(ctx, kind, { found: items.map(describe), targets: items }, describe, async (targets) => {
    for (const item of targets) {
      if (kind === 'skills') await ctx.writes.removeSkill(ctx.userId, item.id);
      else await ctx.writes.removeLanguage(ctx.userId, item.id);
    }
  });
}

function restore(ctx: StepContext, kind: Kind) {
  const current = new Map(ctx.snapshot[kind].map((item) => [item.id, item.proficiency]));
  const targets = (ctx.source ?? ctx.snapshot)[kind].filter((item) => current.get(item.id) !== item.proficiency);
  const withProficiency = (item: ProficiencyAssignment) => ({ id: item.id, name: `${item.name ?? item.id} (${item.proficiency})` });
  return applyPlan(ctx, kind, { found: ctx.snapshot[kind].map(describe), targets }, withProficiency, (items) =>
    kind === 'skills' ? ctx.writes.addSkills(ctx.userId, items) : ctx.writes.addLanguages(ctx.userId, items),
  );
}

function describe(item: ProficiencyAssignment): { id: string; name?: string } {
  return { id: item.id, ...named(item.name) };
}
