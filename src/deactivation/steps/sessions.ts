import { skipped } from './plan';
import type { Step } from './types';

/**
 * Deactivate: `DELETE /api/v2/tokens/{id}`, after the state change (an
 * active user would just log back in through single sign-on). Needed unless
 * the user was already inactive and our journal shows a deactivation that
 * revoked the sessions at the very same user version: the record has not
 * changed since, so the user has stayed inactive and could not log in.
 */
export const revokeSessions: Step = {
  name: 'sessions',
  run: async (ctx) => {
    const user = ctx.snapshot.user;
    const knownRevoked = user.state === 'inactive' && ctx.sessionsRevokedAtVersion === user.version;
    const found = { revokedAtVersion: ctx.sessionsRevokedAtVersion ?? null };
    if (ctx.dryRun) return { step: 'sessions', outcome: 'planned', found, changed: { revoke: !knownRevoked } };
    if (knownRevoked) return { step: 'sessions', outcome: 'already', found };
    const revoked = await ctx.writes.revokeSessions(ctx.userId);
    return { step: 'sessions', outcome: 'done', found, changed: { revoked } };
  },
};

/** Reactivate: nothing to do; the person logs in again. */
export const sessionsNotApplicable: Step = {
  name: 'sessions',
  run: async () => skipped('sessions', {}),
};
