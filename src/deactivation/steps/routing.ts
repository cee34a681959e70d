import type { LeftItem, StepReport } from '../types';
import { applyPlan, skipped } from './plan';
import type { Step } from './types';

const OFF_QUEUE = 'OFF_QUEUE';
export const OFFLINE = 'Offline';

/** Deactivate: routing status OFF_QUEUE, so no interaction is routed to the user. */
export const routingOffQueue: Step = {
  name: 'routing_status',
  run: (ctx) => {
    const status = ctx.snapshot.routingStatus;
    const targets = status === OFF_QUEUE ? [] : [status ?? 'unknown'];
    return applyPlan(ctx, 'routing_status', { found: [{ id: status ?? 'unknown' }], targets }, (from) => ({ id: OFF_QUEUE, name: `${from} -> ${OFF_QUEUE}` }), () =>
      ctx.writes.setRoutingStatus(ctx.userId, OFF_QUEUE),
    );
  },
};

/** Deactivate: presence set to the `Offline` system presence. */
export const presenceOffline: Step = {
  name: 'presence',
  run: (ctx) => {
    const current = ctx.snapshot.presence.systemPresence;
    const targets = isOffline(current) ? [] : [current ?? 'unknown'];
    return applyPlan(ctx, 'presence', { found: [{ id: ctx.snapshot.presence.definitionId ?? 'unknown', name: current }], targets }, (from) => ({ id: OFFLINE, name: `${from} -> ${OFFLINE}` }), async () =>
      ctx.writes.setPresence(ctx.userId, await ctx.offlinePresenceId()),
    );
  },
};

/**
 * Reactivate: routing status and presence are not restored. The person is
 * not logged in; they go on queue and pick a presence when they log in, and
 * putting someone not logged in on queue would route interactions to nobody.
 */
export const routingNotRestored: Step = {
  name: 'routing_status',
  run: async (ctx) => notRestored('routing_status', ctx.snapshot.routingStatus, ctx.source?.routingStatus),
};

export const presenceNotRestored: Step = {
  name: 'presence',
  run: async (ctx) => notRestored('presence', ctx.snapshot.presence.systemPresence, ctx.source?.presence.systemPresence),
};

function notRestored(step: 'routing_status' | 'presence', now: string | undefined, before: string | undefined): StepReport {
  const left: LeftItem[] =
    before !== undefined && before !== now
      ? [{ kind: step, id: before, why: `not restored (was ${before} before deactivation): the person sets it on logging in` }]
      : [];
  return skipped(step, [{ id: now ?? 'unknown' }], left);
}

/** Whether a system presence name is Offline (Genesys spells it with a capital O; be lenient). */
export function isOffline(systemPresence: string | undefined): boolean {
  return systemPresence?.toLowerCase() === OFFLINE.toLowerCase();
}
