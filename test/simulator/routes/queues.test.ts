import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { failure, ok, openSession, type SdkSession } from '../sdk-session';

/** Queue ids of a user, by joined state, through the SDK. */
async function queuesOf(s: SdkSession, userId: string, joined: boolean) {
  const { body } = await ok(s.users.getUserQueues(userId, { joined, pageSize: 100 }));
  return body.entities ?? [];
}

describe('simulator queue memberships', () => {
  let s: SdkSession;
  beforeEach(async () => {
    s = await openSession();
  });
  afterEach(() => s.close());

  it('lists joined and unjoined queues separately, together covering every membership', async () => {
    for (const id of s.sim.org.active.slice(0, 12)) {
      const joined = await queuesOf(s, id, true);
      const unjoined = await queuesOf(s, id, false);
      assert.ok(joined.every((q) => q.joined === true));
      assert.ok(unjoined.every((q) => q.joined === false));
      const listed = [...joined, ...unjoined].map((q) => q.id).sort();
      assert.deepEqual(listed, s.sim.inspectUser(id)!.queues.map((q) => q.id).sort());
    }
  });

  it('defaults to joined=true', async () => {
    const id = s.sim.org.active[0];
    const { body } = await ok(s.users.getUserQueues(id));
    assert.deepEqual(body.entities?.map((q) => q.id), (await queuesOf(s, id, true)).map((q) => q.id));
  });

  it('marks memberships by user and by group', async () => {
    const lead = s.sim.org.active[0];
    const all = [...(await queuesOf(s, lead, true)), ...(await queuesOf(s, lead, false))] as { name?: string; memberBy?: string }[];
    assert.ok(all.some((q) => q.memberBy === 'user'));
    assert.ok(all.some((q) => q.name === 'VIP Care' && q.memberBy === 'group'));
  });

  it('removes direct memberships with POST .../members?delete=true and reads back without them', async () => {
    const id = s.sim.org.active[20];
    const direct = s.sim.inspectUser(id)!.queues.filter((q) => q.memberBy === 'user');
    assert.ok(direct.length > 0);
    for (const queue of direct) {
      assert.equal((await ok(s.routing.postRoutingQueueMembers(queue.id, [{ id }], { _delete: true }))).status, 200);
    }
    assert.deepEqual([...(await queuesOf(s, id, true)), ...(await queuesOf(s, id, false))], []);
  });

  it('adds a membership back with POST .../members (delete=false)', async () => {
    const id = s.sim.org.active[20];
    const [queue] = s.sim.inspectUser(id)!.queues;
    await ok(s.routing.postRoutingQueueMembers(queue.id, [{ id }], { _delete: true }));
    await ok(s.routing.postRoutingQueueMembers(queue.id, [{ id }]));
    const listed = [...(await queuesOf(s, id, true)), ...(await queuesOf(s, id, false))];
    assert.ok(listed.some((q) => q.id === queue.id));
  });

  it('removes one membership with DELETE .../members/{memberId}; a second DELETE is 404', async () => {
    const id = s.sim.org.active[21];
    const [queue] = s.sim.inspectUser(id)!.queues.filter((q) => q.memberBy === 'user');
    assert.equal((await ok(s.routing.deleteRoutingQueueMember(queue.id, id))).status, 204);
    assert.ok(!s.sim.inspectUser(id)!.queues.some((q) => q.id === queue.id));
    await failure(s.routing.deleteRoutingQueueMember(queue.id, id), 404);
  });

  it('leaves group-derived memberships in place: bulk removal skips them, single DELETE refuses with 400', async () => {
    const lead = s.sim.org.active[1];
    const vip = s.sim.inspectUser(lead)!.queues.find((q) => q.name === 'VIP Care')!;
    assert.equal(vip.memberBy, 'group');
    await ok(s.routing.postRoutingQueueMembers(vip.id, [{ id: lead }], { _delete: true }));
    assert.ok(s.sim.inspectUser(lead)!.queues.some((q) => q.id === vip.id && q.memberBy === 'group'));
    await failure(s.routing.deleteRoutingQueueMember(vip.id, lead), 400);
  });

  it('keeps the group membership when a user who is also a direct member is removed', async () => {
    const both = s.sim.org.active[4];
    const tier2 = s.sim.inspectUser(both)!.queues.find((q) => q.name === 'Support Tier 2')!;
    assert.equal(tier2.memberBy, 'user');
    await ok(s.routing.deleteRoutingQueueMember(tier2.id, both));
    assert.equal(s.sim.inspectUser(both)!.queues.find((q) => q.id === tier2.id)?.memberBy, 'group');
  });

  it('validates the member list: unknown ids are a 400 and nothing changes', async () => {
    const id = s.sim.org.active[22];
    const [queue] = s.sim.inspectUser(id)!.queues;
    const before = s.sim.inspectUser(id)!.queues;
    await failure(s.routing.postRoutingQueueMembers(queue.id, [{ id }, { id: s.sim.org.unknown[0] }], { _delete: true }), 400);
    assert.deepEqual(s.sim.inspectUser(id)!.queues, before);
    await failure(s.routing.postRoutingQueueMembers(s.sim.org.unknown[1], [{ id }]), 404);
  });
});
