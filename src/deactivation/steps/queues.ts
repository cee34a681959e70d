import { ownQueues, type QueueMembership } from '../snapshot';
import type { LeftItem } from '../types';
import { applyPlan, named } from './plan';
import type { Step } from './types';

/** Deactivate: the user's own memberships removed; group memberships reported with their groups. */
export const removeQueues: Step = {
  name: 'queues',
  run: (ctx) => {
    const left: LeftItem[] = ctx.snapshot.queues.filter((q) => q.memberBy === 'group').map(groupMembership);
    const plan = { found: ctx.snapshot.queues.map(describe), targets: ownQueues(ctx.snapshot), left };
    return applyPlan(ctx, 'queues', plan, describe, async (targets) => {
      // One queue per call: a queue deleted meanwhile (404) must not keep the user in the others.
      for (const queue of targets) await ctx.writes.removeFromQueue(queue.id, ctx.userId);
    });
  },
};

/** Reactivate: own memberships of the source snapshot put back, each with its joined flag. */
export const restoreQueues: Step = {
  name: 'queues',
  run: (ctx) => {
    const current = new Map(ownQueues(ctx.snapshot).map((q) => [q.id, q]));
    const targets = ownQueues(ctx.source ?? ctx.snapshot).filter((q) => current.get(q.id)?.joined !== q.joined);
    const plan = { found: ctx.snapshot.queues.map(describe), targets };
    return applyPlan(ctx, 'queues', plan, (q) => ({ ...describe(q), name: `${q.name ?? q.id} (${q.joined ? 'joined' : 'not joined'})` }), async (queues) => {
      for (const queue of queues) {
        if (!current.has(queue.id)) await ctx.writes.addToQueue(queue.id, ctx.userId);
        // Set explicitly: whether a new member starts joined is not documented.
        await ctx.writes.setQueueJoined(ctx.userId, queue.id, queue.joined);
      }
    });
  },
};

function describe(queue: QueueMembership): { id: string; name?: string } {
  return { id: queue.id, ...named(queue.name) };
}

function groupMembership(queue: QueueMembership): LeftItem {
  const groups = (queue.groups ?? []).map((g) => g.name ?? g.id).join(', ');
  return {
    kind: 'queue',
    id: queue.id,
    ...named(queue.name),
    why: `membership through ${groups ? `group ${groups}` : 'a group'}: it follows the group, change the group to end it`,
  };
}
