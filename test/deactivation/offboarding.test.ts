import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { GenesysCaller } from '../../src/directory/lookup/userLookup';
import type { RunReport, StepName } from '../../src/deactivation/types';
import type { Simulator } from '../../src/simulator/index';
import { crashingClient, SimulatedCrash } from './support/clientWrappers';
import { ACTOR, changingRoutes, comparable, startRig, subjects, type Rig } from './support/rig';

function step(report: RunReport, name: StepName) {
  const found = report.steps.find((s) => s.step === name);
  assert.ok(found, `no ${name} step`);
  return found;
}

/** A client that records the queue ids every `postRoutingQueueMembers` was sent for. */
function recordingQueueRemovals(inner: GenesysCaller, sent: string[]): GenesysCaller {
  return {
    call(operation, fn, options) {
      if (operation === 'postRoutingQueueMembers') {
        return inner.call(operation, (apis) => fn({ ...apis, routing: new Proxy(apis.routing, {
          get: (target, key) => key === 'postRoutingQueueMembers'
            ? (queueId: string, ...rest: unknown[]) => (sent.push(queueId), (target.postRoutingQueueMembers as (...a: unknown[]) => unknown).call(target, queueId, ...rest))
            : Reflect.get(target, key),
        }) }), options);
      }
      return inner.call(operation, fn, options);
    },
  };
}

/** Adds `count` direct members to a queue, named so they sort before everyone else (as an admin would, before the run). */
async function fillQueue(rig: Rig, queueId: string, count: number, tag: string): Promise<void> {
  const division = rig.sim.getUser(rig.sim.org.active[0]!)!.division;
  const ids = Array.from({ length: count }, (_, i) => `${tag}-0000-4000-8000-${String(i).padStart(12, '0')}`);
  for (const id of ids) rig.sim.putUser({ id, name: `Aaron ${tag} ${id.slice(-3)}`, username: `${id}@x.example`, email: `${id}@x.example`, state: 'active', division });
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100).map((id) => ({ id }));
    await rig.client.call('postRoutingQueueMembers', (apis) => apis.routing.postRoutingQueueMembers(queueId, chunk));
  }
}

function memberListings(sim: Simulator): number {
  return sim.stats().byRoute['GET /api/v2/routing/queues/{queueId}/members'] ?? 0;
}

describe('offboarding as Genesys behaves (simulator with real shapes, real SDK)', () => {
  let rig: Rig;
  let divisions: string[];

  before(async () => {
    rig = await startRig();
    divisions = [...new Set(rig.sim.org.active.map((id) => rig.sim.getUser(id)!.division.id))];
  });
  beforeEach(() => {
    for (const key of Object.keys(rig.sim.faults) as (keyof typeof rig.sim.faults)[]) delete rig.sim.faults[key];
    rig.sim.resetStats();
  });
  after(() => rig.close());

  describe('queue memberships are classified through the queue member listing', () => {
    it('never sends a removal for a group membership of another queue; reports it under left with its group', async () => {
      const id = subjects(rig.sim).full;
      const vip = rig.sim.inspectUser(id)!.queues.find((q) => q.memberBy === 'group')!;
      const sent: string[] = [];
      const report = await rig.deactivator({ wrap: (c) => recordingQueueRemovals(c, sent) }).deactivate(id, { actor: ACTOR });
      assert.equal(report.status, 'completed');
      assert.ok(!sent.includes(vip.id), 'no removal for the group membership');
      assert.equal(sent.length, 3, 'one removal per own membership');
      const left = step(report, 'queues').left!;
      assert.deepEqual(left.map((l) => [l.kind, l.id]), [['queue', vip.id]]);
      assert.match(left[0]!.why, /group Team Leads/);
      assert.ok((rig.sim.stats().byRoute['GET /api/v2/routing/queues/{queueId}/members'] ?? 0) >= 4, 'one member listing per queue of the user');
    });

    it('a membership of the same queue held directly and through a group: the direct one is removed, the group one left and reported', async () => {
      const id = subjects(rig.sim).directAndGroup;
      const tier2 = rig.sim.inspectUser(id)!.queues.find((q) => q.name === 'Support Tier 2')!;
      const sent: string[] = [];
      const report = await rig.deactivator({ wrap: (c) => recordingQueueRemovals(c, sent) }).deactivate(id, { actor: ACTOR });
      assert.equal(report.status, 'completed');
      assert.deepEqual(sent.filter((q) => q === tier2.id), [tier2.id], 'the direct membership is removed once');
      assert.deepEqual(rig.sim.inspectUser(id)!.queues.map((q) => [q.name, q.memberBy]), [['Support Tier 2', 'group']]);
      const left = step(report, 'queues').left!;
      assert.deepEqual(left.map((l) => l.id), [tier2.id]);
      assert.match(left[0]!.why, /group Tier 2 Specialists/);
    });

    it('finds the user on the second page of a queue with 120 direct members (no total given), and pages a group-only queue to its empty page', async () => {
      const lead = rig.sim.org.active[0]!;
      const queues = rig.sim.inspectUser(lead)!.queues;
      const own = queues.find((q) => q.memberBy === 'user')!;
      const vip = queues.find((q) => q.memberBy === 'group')!;
      await fillQueue(rig, own.id, 120, 'aaaaaaaa');
      await fillQueue(rig, vip.id, 120, 'bbbbbbbb');
      rig.sim.resetStats();

      const report = await rig.deactivator().deactivate(lead, { actor: ACTOR, dryRun: true });
      assert.ok((step(report, 'queues').changed as { id: string }[]).some((q) => q.id === own.id), "classified as the user's own");
      assert.deepEqual(step(report, 'queues').left?.map((l) => l.id), [vip.id], 'the group-only queue is left');
      const ownQueues = queues.filter((q) => q.memberBy === 'user').length;
      // Each small own queue: found on page 1. The filled own queue: page 2. VIP Care: 100, 20, then the empty page.
      assert.equal(memberListings(rig.sim), ownQueues - 1 + 2 + 3);
      assert.deepEqual(changingRoutes(rig.sim), []);
    });
  });

  describe('role grants stripped at inactive', () => {
    it('Genesys strips the own grants when the state turns inactive; reactivation re-applies them after the state is active and reads them back', async () => {
      const id = rig.sim.org.active[20]!;
      const own = rig.sim.inspectUser(id)!.grants.filter((g) => g.subjectId === id);
      assert.ok(own.length > 0);
      const deactivator = rig.deactivator();
      await deactivator.deactivate(id, { actor: ACTOR });
      const report = await deactivator.reactivate(id, { actor: ACTOR });
      assert.equal(report.status, 'completed');
      const order = report.steps.map((s) => s.step);
      assert.ok(order.indexOf('state') < order.indexOf('role_grants'), 'grants after the state change');
      assert.equal(step(report, 'verify').left, undefined, 'the read-back found the grants');
      const key = (g: { roleId: string; divisionId: string }) => `${g.roleId}/${g.divisionId}`;
      assert.deepEqual(rig.sim.inspectUser(id)!.grants.filter((g) => g.subjectId === id).map(key).sort(), own.map(key).sort());
    });

    it('the state change alone strips them in the simulator (the behaviour the order guards against)', async () => {
      const id = rig.sim.org.active[21]!;
      const user = rig.sim.getUser(id)!;
      await rig.client.call('patchUser', (apis) => apis.users.patchUser(id, { state: 'inactive', version: user.version }));
      assert.deepEqual(rig.sim.inspectUser(id)!.grants.filter((g) => g.subjectId === id), []);
    });
  });

  describe('version conflicts', () => {
    for (const status of [400, 408] as const) {
      it(`a ${status} version conflict is re-read and retried`, async () => {
        const id = rig.sim.org.active[status === 400 ? 22 : 23]!;
        rig.sim.faults.versionConflicts = 1;
        rig.sim.faults.versionConflictStatus = status;
        const report = await rig.deactivator().deactivate(id, { actor: ACTOR });
        assert.equal(report.status, 'completed');
        assert.equal((step(report, 'state').changed as { versionConflicts: number }).versionConflicts, 1);
        assert.equal(rig.sim.stats().byStatus[String(status)], 1);
        assert.equal(rig.sim.getUser(id)!.state, 'inactive');
      });
    }
  });

  describe('stations', () => {
    it('clears the associated and default station, shows it in the dry run, and reactivation restores the default one', async () => {
      const id = rig.sim.org.active[1]!;
      const before = rig.sim.inspectUser(id)!.stations;
      assert.ok(before.associated && before.default);
      const deactivator = rig.deactivator();
      const plan = await deactivator.deactivate(id, { actor: ACTOR, dryRun: true });
      assert.deepEqual((step(plan, 'station').changed as readonly { name?: string }[]).map((s) => s.name?.split(':')[0]), ['associated', 'default']);
      assert.deepEqual(rig.sim.inspectUser(id)!.stations, before, 'the dry run changed nothing');

      const report = await deactivator.deactivate(id, { actor: ACTOR });
      assert.equal(step(report, 'station').outcome, 'done');
      assert.deepEqual(rig.sim.inspectUser(id)!.stations, {});

      const restored = await deactivator.reactivate(id, { actor: ACTOR });
      assert.equal(step(restored, 'station').outcome, 'done');
      assert.deepEqual(rig.sim.inspectUser(id)!.stations, { default: before.default });
      assert.match(step(restored, 'station').left![0]!.why, /associated station not restored/);
    });
  });

  describe('optional steps', () => {
    it('are skipped unless asked for: groups, division and management unit stay', async () => {
      const id = rig.sim.org.active[5]!;
      const before = rig.sim.inspectUser(id)!;
      assert.ok(before.groups.length > 0 && before.managementUnitId);
      const report = await rig.deactivator({ offboardingDivisionId: divisions.find((d) => d !== before.user.division.id)! }).deactivate(id, { actor: ACTOR });
      assert.deepEqual(['groups', 'division', 'management_unit'].map((s) => step(report, s as StepName).outcome), ['skipped', 'skipped', 'skipped']);
      const after = rig.sim.inspectUser(id)!;
      assert.deepEqual([after.groups, after.user.division, after.managementUnitId], [before.groups, before.user.division, before.managementUnitId]);
      assert.equal(rig.sim.stats().byRoute['GET /api/v2/workforcemanagement/agents/{agentId}/managementunit'], undefined, 'WFM not even read');
    });

    it('when asked for: planned in the dry run, done, unchanged on a second run, and undone by reactivation', async () => {
      const id = rig.sim.org.active[7]!;
      const before = rig.sim.inspectUser(id)!;
      assert.ok(before.groups.length > 0 && before.managementUnitId);
      const target = divisions.find((d) => d !== before.user.division.id)!;
      const deactivator = rig.deactivator({ offboardingDivisionId: target });
      const options = { actor: ACTOR, removeGroups: true, moveDivision: true, removeManagementUnit: true };

      const plan = await deactivator.deactivate(id, { ...options, dryRun: true });
      assert.deepEqual(['groups', 'division', 'management_unit'].map((s) => step(plan, s as StepName).outcome), ['planned', 'planned', 'planned']);
      assert.deepEqual(comparable(rig.sim.inspectUser(id)), comparable(before), 'the dry run changed nothing');

      const report = await deactivator.deactivate(id, options);
      assert.equal(report.status, 'completed');
      assert.deepEqual(['groups', 'division', 'management_unit'].map((s) => step(report, s as StepName).outcome), ['done', 'done', 'done']);
      const after = rig.sim.inspectUser(id)!;
      assert.deepEqual([after.groups, after.user.division.id, after.managementUnitId], [[], target, undefined]);
      assert.ok(after.queues.every((q) => q.memberBy === 'user') && after.queues.length === 0, 'leaving the groups ended the group queue memberships');

      const again = await deactivator.deactivate(id, options);
      assert.equal(again.status, 'unchanged');

      const restored = await deactivator.reactivate(id, { actor: ACTOR });
      assert.equal(restored.status, 'completed');
      assert.deepEqual(['groups', 'division', 'management_unit'].map((s) => step(restored, s as StepName).outcome), ['done', 'done', 'done']);
      const back = rig.sim.inspectUser(id)!;
      assert.deepEqual([back.groups.map((g) => g.id).sort(), back.user.division, back.managementUnitId], [before.groups.map((g) => g.id).sort(), before.user.division, before.managementUnitId]);
      assert.deepEqual(comparable(back), comparable({ ...before, user: { ...before.user, version: back.user.version }, routingStatus: back.routingStatus, systemPresence: back.systemPresence, activeSessions: 0, stations: back.stations }));
    });

    const ALONE = [
      { option: 'removeGroups', step: 'groups', user: 12 },
      { option: 'moveDivision', step: 'division', user: 24 },
      { option: 'removeManagementUnit', step: 'management_unit', user: 25 },
    ] as const;
    for (const { option, step: name, user } of ALONE) {
      it(`${option} alone: only the ${name} step runs, the other optional steps are skipped; reactivation undoes just it`, async () => {
        const id = rig.sim.org.active[user]!;
        const before = rig.sim.inspectUser(id)!;
        const deactivator = rig.deactivator({ offboardingDivisionId: divisions.find((d) => d !== before.user.division.id)! });
        const report = await deactivator.deactivate(id, { actor: ACTOR, [option]: true });
        assert.equal(report.status, 'completed');
        const optional = ['groups', 'division', 'management_unit'] as const;
        assert.deepEqual(optional.map((s) => step(report, s).outcome), optional.map((s) => (s === name ? 'done' : 'skipped')));
        const after = rig.sim.inspectUser(id)!;
        assert.deepEqual(
          [after.groups.length === before.groups.length, after.user.division.id === before.user.division.id, after.managementUnitId === before.managementUnitId],
          optional.map((s) => s !== name),
        );
        const restored = await deactivator.reactivate(id, { actor: ACTOR });
        assert.deepEqual(optional.map((s) => step(restored, s).outcome), optional.map((s) => (s === name ? 'done' : 'skipped')));
        const back = rig.sim.inspectUser(id)!;
        assert.deepEqual([back.groups, back.user.division, back.managementUnitId], [before.groups, before.user.division, before.managementUnitId]);
      });
    }

    it('when Genesys leaves the groups out of the answer (expand is best effort), removeGroups fails rather than guess; nothing is removed from groups', async () => {
      const id = rig.sim.org.active[13]!;
      const before = rig.sim.inspectUser(id)!.groups;
      assert.ok(before.length > 0);
      const withoutGroups = (inner: GenesysCaller): GenesysCaller => ({
        call: async (operation, fn, options) => {
          const answer = await inner.call(operation, fn, options);
          if (operation === 'getUser' && answer && typeof answer === 'object') delete (answer as { groups?: unknown }).groups;
          return answer;
        },
      });
      const report = await rig.deactivator({ wrap: (c) => withoutGroups(c) }).deactivate(id, { actor: ACTOR, removeGroups: true });
      assert.equal(report.status, 'failed');
      assert.deepEqual([step(report, 'groups').outcome, step(report, 'groups').error?.code], ['failed', 'groups_unknown']);
      assert.deepEqual(rig.sim.inspectUser(id)!.groups, before);
      const resumed = await rig.deactivator().deactivate(id, { actor: ACTOR });
      assert.deepEqual([resumed.resumed, resumed.status, step(resumed, 'groups').outcome], [true, 'completed', 'done'], 'the resumed run reads the groups and removes them');
      assert.deepEqual(rig.sim.inspectUser(id)!.groups, []);
    });

    it('moveDivision without a configured offboarding division is refused before anything is read', async () => {
      await assert.rejects(rig.deactivator().deactivate(rig.sim.org.active[8]!, { actor: ACTOR, moveDivision: true }), { code: 'no_offboarding_division' });
      assert.equal(rig.sim.stats().total, 0);
    });
  });
});

describe('resume with the new steps', () => {
  it('a run killed in the optional steps resumes with the steps it was asked for and reaches the end state of an uninterrupted run', async () => {
    const runOnce = async (kill: boolean) => {
      const rig = await startRig();
      try {
        const id = rig.sim.org.active[9]!;
        const division = [...new Set(rig.sim.org.active.map((u) => rig.sim.getUser(u)!.division.id))].find((d) => d !== rig.sim.getUser(id)!.division.id)!;
        const options = { actor: ACTOR, removeGroups: true, moveDivision: true, removeManagementUnit: true };
        if (kill) {
          const killed = rig.deactivator({ offboardingDivisionId: division, wrap: (c) => crashingClient(c, { operation: 'postAuthorizationDivisionObject', nth: 1, when: 'after' }) });
          await assert.rejects(killed.deactivate(id, options), SimulatedCrash);
          // The restarted process is not asked for the optional steps again: the journal remembers them.
          const resumed = await rig.deactivator({ offboardingDivisionId: division }).deactivate(id, { actor: ACTOR });
          assert.deepEqual([resumed.resumed, resumed.status], [true, 'completed']);
          assert.equal(step(resumed, 'management_unit').outcome, 'done');
        } else {
          assert.equal((await rig.deactivator({ offboardingDivisionId: division }).deactivate(id, options)).status, 'completed');
        }
        return comparable(rig.sim.inspectUser(id));
      } finally {
        await rig.close();
      }
    };
    assert.deepEqual(await runOnce(true), await runOnce(false));
  });
});

describe('where Genesys keeps the grants at inactive (the older help page)', () => {
  it('the round trip still restores everything, and the reactivation finds the grants already there', async () => {
    const rig = await startRig({ sim: { inactiveRemovesRoleGrants: false } });
    try {
      const id = subjects(rig.sim).full;
      const before = comparable(rig.sim.inspectUser(id)) as { grants: unknown; queues: unknown; skills: unknown };
      const deactivator = rig.deactivator();
      assert.equal((await deactivator.deactivate(id, { actor: ACTOR })).status, 'completed');
      const report = await deactivator.reactivate(id, { actor: ACTOR });
      assert.equal(report.status, 'completed');
      assert.equal(step(report, 'verify').left, undefined);
      const after = comparable(rig.sim.inspectUser(id)) as typeof before;
      assert.deepEqual([after.grants, after.queues, after.skills], [before.grants, before.queues, before.skills]);
    } finally {
      await rig.close();
    }
  });
});

describe('a reactivation killed between the state change and the grants', () => {
  it('leaves an active user whose own grants the next run re-applies and reads back', async () => {
    const rig = await startRig();
    try {
      const id = subjects(rig.sim).full;
      const own = (i = rig.sim.inspectUser(id)!) => i.grants.filter((g) => g.subjectId === id).map((g) => `${g.roleId}/${g.divisionId}`).sort();
      const before = own();
      await rig.deactivator().deactivate(id, { actor: ACTOR });
      assert.deepEqual(own(), []);
      const killed = rig.deactivator({ wrap: (c) => crashingClient(c, { operation: 'patchUser', nth: 1, when: 'after' }) });
      await assert.rejects(killed.reactivate(id, { actor: ACTOR }), SimulatedCrash);
      assert.deepEqual([rig.sim.getUser(id)!.state, own()], ['active', []], 'active, grants not yet back');

      const resumed = await rig.deactivator().reactivate(id, { actor: ACTOR });
      assert.deepEqual([resumed.resumed, resumed.status, step(resumed, 'state').outcome, step(resumed, 'role_grants').outcome], [true, 'completed', 'done', 'done']);
      assert.deepEqual(own(), before);
    } finally {
      await rig.close();
    }
  });
});
