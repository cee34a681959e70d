import type { Step } from './types';

/**
 * Puts the user as the run left it into the enricher's cache, so spans show
 * the new state at once instead of after the cache TTL. `already` when the
 * cache already held this state and version. Skipped without a cache.
 */
export const refreshCache: Step = {
  name: 'cache',
  run: async (ctx) => {
    if (!ctx.cache) return { step: 'cache', outcome: 'skipped' };
    const user = ctx.scratch.user;
    // A dry run changes nothing, so the user is still as found: plan the state the run would leave.
    if (ctx.dryRun) return { step: 'cache', outcome: 'planned', changed: { state: ctx.action === 'deactivate' ? 'inactive' : 'active' } };
    const cached = ctx.cache.peek(ctx.userId);
    const same = cached?.status === 'found' && cached.user.state === user.state && cached.user.version === user.version;
    await ctx.cache.set(user);
    return { step: 'cache', outcome: same ? 'already' : 'done', changed: { state: user.state, version: user.version } };
  },
};
