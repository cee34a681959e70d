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

  it("answers UserQueue as the SDK types it: joined and the queue's memberGroups, no memberBy", async () => {
    const lead = s.sim.org.active[0];
    const all = [...(await queuesOf(s, lead, true)), ...(await queuesOf(s, lead, false))];
    assert.ok(all.length > 1);
    assert.ok(all.every((q) => !('memberBy' in q)), 'UserQueue has no memberBy');
    const vip = all.find((q) => q.name === 'VIP Care')!;
    assert.deepEqual(vip.memberGroups?.map((g) => g.name), ['Team Leads']);
  });

  it('lists QueueMembers with memberBy, filtered by memberBy, id and joined; pages of at most 100 without total or pageCount', async () => {
    const lead = s.sim.org.active[0];
    const vip = s.sim.inspectUser(lead)!.queues.find((q) => q.name === 'VIP Care')!;
    const byGroup = (await ok(s.routing.getRoutingQueueMembers(vip.id, { memberBy: 'group', pageSize: 100 }))).body;
    assert.ok(byGroup.entities!.some((m) => m.id === lead && m.memberBy === 'group' && m.user?.id === lead && typeof m.joined === 'boolean'));
    assert.deepEqual((await ok(s.routing.getRoutingQueueMembers(vip.id, { memberBy: 'user', pageSize: 100 }))).body.entities, []);
    assert.ok(!('total' in byGroup) && !('pageCount' in byGroup), 'QueueMemberEntityListing has neither');
    const joined = (await ok(s.routing.getRoutingQueueMembers(vip.id, { joined: true, pageSize: 100 }))).body.entities!;
    assert.ok(joined.every((m) => m.joined === true));
    await failure(s.routing.getRoutingQueueMembers(vip.id, { pageSize: 101 }), 400);
    // SDK 262 cannot send the id filter; the REST API has it.
    const raw = await fetch(`${s.sim.url}/api/v2/routing/queues/${vip.id}/members?id=${lead}`, { headers: { authorization: `Bearer ${s.accessToken}` } });
    assert.deepEqual(((await raw.json()) as { entities: { id: string }[] }).entities.map((m) => m.id), [lead]);
  });

  it('pages a queue of 120 direct members: 100, 20, then an empty page', async () => {
    const queue = s.sim.inspectUser(s.sim.org.active[0])!.queues.find((q) => q.name === 'Billing') ?? s.sim.inspectUser(s.sim.org.active[0])!.queues[0]!;
    const divisionId = s.sim.getUser(s.sim.org.active[0])!.division;
    const existing = (await ok(s.routing.getRoutingQueueMembers(queue.id, { memberBy: 'user', pageSize: 100 }))).body.entities!.length;
    const extra = Array.from({ length: 120 - existing }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const id of extra) s.sim.putUser({ id, name: `Extra ${id.slice(-3)}`, username: `x${id.slice(-3)}@x.example`, email: `x${id.slice(-3)}@x.example`, state: 'active', division: divisionId });
    for (let i = 0; i < extra.length; i += 100) await ok(s.routing.postRoutingQueueMembers(queue.id, extra.slice(i, i + 100).map((id) => ({ id }))));
    const sizes = [];
    for (let pageNumber = 1; pageNumber <= 3; pageNumber++) {
      sizes.push((await ok(s.routing.getRoutingQueueMembers(queue.id, { memberBy: 'user', pageSize: 100, pageNumber }))).body.entities!.length);
    }
    assert.deepEqual(sizes, [100, 20, 0]);
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
