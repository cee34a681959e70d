import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import type { RunReport } from '../../src/deactivation/types';
import type { UserInspection } from '../../src/simulator/index';
import { crashingClient, SimulatedCrash, type CrashPoint } from './support/clientWrappers';
import { startChild } from './support/childProcess';
import { ACTOR, comparable, startRig, subjects, type Rig } from './support/rig';

/** A report without what differs between any two runs (ids, times, the resumed flag). */
function stable(report: RunReport): unknown {
  const { runId: _r, startedAt: _s, finishedAt: _f, resumed: _x, ...rest } = report;
  return {
    ...rest,
    steps: report.steps.map((s) => (s.step === 'snapshot' || s.step === 'verify' ? { ...s, found: { ...(s.found as object), takenAt: undefined } } : s)),
  };
}

async function runFinished(rig: Rig, userId: string): Promise<boolean> {
  return (await rig.journal().read(userId)).some((r) => r.type === 'run_finished');
}

/**
 * Each scenario kills a run at one point, then lets a fresh Deactivator (as
 * a restarted service or CLI would build) run again on the same data
 * directory, on a simulator of its own; the seeded org is the same in every
 * simulator, so the end state can be compared with an uninterrupted run's.
 */
// Every scenario has its own simulator and data directory, so they run side by side.
describe('resuming a deactivation that was killed part-way', { concurrency: 4 }, () => {
  let original: UserInspection;
  let uninterrupted: { inspection: unknown; report: RunReport };
  let userId: string;

  before(async () => {
    const rig = await startRig();
    try {
      userId = subjects(rig.sim).full;
      original = rig.sim.inspectUser(userId)!;
      const report = await rig.deactivator().deactivate(userId, { actor: ACTOR });
      assert.equal(report.status, 'completed');
      uninterrupted = { inspection: comparable(rig.sim.inspectUser(userId)), report };
    } finally {
      await rig.close();
    }
  });

  // More points are killed below: in languages (with a torn line), in a reactivation, and in another process (skills).
  const POINTS: readonly CrashPoint[] = [
    { operation: 'putUserRoutingstatus', nth: 1, when: 'before' }, // snapshot recorded, nothing changed yet
    { operation: 'postRoutingQueueMembers', nth: 2, when: 'after' }, // half the queues removed, step not recorded
    { operation: 'patchUser', nth: 1, when: 'after' }, // state changed in Genesys, not in the journal
    { operation: 'getUser', nth: 2, when: 'before' }, // during the read-back
  ];

  for (const point of POINTS) {
    it(`killed ${point.when} ${point.operation} #${point.nth}: the next run resumes and ends as an uninterrupted run`, async () => {
      const rig = await startRig();
      try {
        await assert.rejects(rig.deactivator({ wrap: (c) => crashingClient(c, point) }).deactivate(userId, { actor: ACTOR }), SimulatedCrash);
        assert.equal(await runFinished(rig, userId), false, 'the killed run left no finish record');

        const resumed = await rig.deactivator().deactivate(userId, { actor: ACTOR });
        assert.equal(resumed.resumed, true);
        assert.equal(resumed.status, 'completed');
        assert.deepEqual(comparable(rig.sim.inspectUser(userId)), uninterrupted.inspection);
        assert.deepEqual(stable(resumed), stable(uninterrupted.report));
      } finally {
        await rig.close();
      }
    });
  }

  it('keeps the original snapshot: after a kill in the languages step (and a torn last line), reactivation still restores every queue, skill and grant', async () => {
    const rig = await startRig();
    try {
      await assert.rejects(
        rig.deactivator({ wrap: (c) => crashingClient(c, { operation: 'deleteUserRoutinglanguage', nth: 1, when: 'after' }) }).deactivate(userId, { actor: ACTOR }),
        SimulatedCrash,
      );
      // A crash mid-write leaves half a line: it must not matter.
      await appendFile(rig.journal().pathOf(userId), '{"v":1,"runId":"torn","type":"st');
      const resumed = await rig.deactivator().deactivate(userId, { actor: ACTOR });
      assert.equal(resumed.resumed, true);
      assert.equal((resumed.steps[0]!.found as { queues: { own: number } }).queues.own, 3, 'the snapshot step shows what was there before the first run');

      assert.equal((await rig.deactivator().reactivate(userId, { actor: ACTOR })).status, 'completed');
      const restored = rig.sim.inspectUser(userId)!;
      const access = (i: UserInspection) => {
        const c = comparable(i) as UserInspection;
        return { queues: c.queues, skills: c.skills, languages: c.languages, grants: c.grants, externalIds: c.externalIds, state: c.user.state };
      };
      assert.deepEqual(access(restored), access(original));
    } finally {
      await rig.close();
    }
  });

  it('a reactivation killed part-way resumes too, and restores everything', async () => {
    const rig = await startRig();
    try {
      await rig.deactivator().deactivate(userId, { actor: ACTOR });
      await assert.rejects(
        rig.deactivator({ wrap: (c) => crashingClient(c, { operation: 'patchUserRoutingskillsBulk', nth: 1, when: 'after' }) }).reactivate(userId, { actor: ACTOR }),
        SimulatedCrash,
      );
      const resumed = await rig.deactivator().reactivate(userId, { actor: ACTOR });
      assert.deepEqual([resumed.resumed, resumed.status], [true, 'completed']);
      const restored = comparable(rig.sim.inspectUser(userId)) as UserInspection;
      const expected = comparable(original) as UserInspection;
      assert.deepEqual([restored.queues, restored.skills, restored.languages, restored.grants, restored.user.state], [expected.queues, expected.skills, expected.languages, expected.grants, 'active']);
    } finally {
      await rig.close();
    }
  });

  it('a run in another process killed with SIGKILL leaves its lock and journal; the next run here breaks the lock and finishes', async () => {
    const rig = await startRig();
    try {
      const child = startChild({
        mode: 'crash-run',
        dataDir: rig.dataDir,
        userId,
        sim: { url: rig.sim.url, clientId: rig.sim.clientId, clientSecret: rig.sim.clientSecret },
        operation: 'deleteUserRoutingskill',
        nth: 1,
      });
      assert.equal((await child.exited).signal, 'SIGKILL');
      assert.equal(await runFinished(rig, userId), false);

      const resumed = await rig.deactivator().deactivate(userId, { actor: ACTOR });
      assert.deepEqual([resumed.resumed, resumed.status], [true, 'completed']);
      assert.deepEqual(comparable(rig.sim.inspectUser(userId)), uninterrupted.inspection);
    } finally {
      await rig.close();
    }
  });
});
