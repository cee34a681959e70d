import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DeactivationError, type RunReport, type StepName } from '../../src/deactivation/types';
import { directoryStack, type DirectoryStack } from '../directory/support/directoryFixtures';
import { gatedClient, onFirstChange } from './support/clientWrappers';
import { ACTOR, changingRoutes, comparable, startRig, subjects, type Rig } from './support/rig';

const ORDER: StepName[] = [
  'snapshot', 'routing_status', 'presence', 'station', 'queues', 'skills', 'languages', 'groups', 'role_grants', 'division', 'management_unit',
  'state', 'sessions', 'verify', 'cache',
];
/** Steps that run only when asked for: `skipped` otherwise. */
const OPTIONAL: readonly StepName[] = ['groups', 'division', 'management_unit'];
const unlessOptional = (name: StepName, outcome: string) => [name, OPTIONAL.includes(name) ? 'skipped' : outcome];

function step(report: RunReport, name: StepName) {
  const found = report.steps.find((s) => s.step === name);
  assert.ok(found, `no ${name} step`);
  return found;
}

function outcomes(report: RunReport): Record<string, string> {
  return Object.fromEntries(report.steps.map((s) => [s.step, s.outcome]));
}

async function refusal(promise: Promise<unknown>, code: string): Promise<DeactivationError> {
  const err = await promise.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof DeactivationError, `expected a DeactivationError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  return err;
}

describe('Deactivator against the Genesys simulator (real SDK)', () => {
  let rig: Rig;
  let stack: DirectoryStack;

  before(async () => {
    rig = await startRig();
    stack = directoryStack(rig.sim);
  });
  beforeEach(() => {
    for (const key of Object.keys(rig.sim.faults) as (keyof typeof rig.sim.faults)[]) delete rig.sim.faults[key];
    rig.sim.resetStats();
  });
  after(async () => {
    stack.close();
    await rig.close();
  });

  describe('deactivate', () => {
    it('takes every step, in order, and each takes effect; the record, its id and external ids stay', async () => {
      const id = subjects(rig.sim).full;
      const before = rig.sim.inspectUser(id)!;
      const report = await rig.deactivator().deactivate(id, { actor: ACTOR });
      const after = rig.sim.inspectUser(id)!;

      assert.equal(report.status, 'completed');
      assert.deepEqual(report.steps.map((s) => s.step), ORDER);
      assert.deepEqual(report.user, { name: before.user.name, stateBefore: 'active', stateAfter: 'inactive' });
      assert.equal(report.resumed, false);
      assert.equal(report.userId, id);
      assert.equal(report.actor, ACTOR);

      assert.equal(before.routingStatus, 'INTERACTING');
      assert.equal(after.routingStatus, 'OFF_QUEUE');
      assert.equal(before.systemPresence, 'Busy');
      assert.equal(after.systemPresence, 'Offline');
      assert.deepEqual(after.queues.map((q) => [q.name, q.memberBy]), [['VIP Care', 'group']], 'own memberships, joined or not, are gone');
      assert.deepEqual(after.skills, []);
      assert.deepEqual(after.languages, []);
      assert.ok(after.grants.length > 0 && after.grants.every((g) => g.subjectId !== id), 'only group grants remain');
      assert.deepEqual(after.grants, before.grants.filter((g) => g.subjectId !== id));
      assert.equal(after.user.state, 'inactive');
      assert.equal(after.user.version, before.user.version + 1);
      assert.equal(after.activeSessions, 0);
      assert.deepEqual(after.externalIds, before.externalIds);
      assert.deepEqual(after.groups, before.groups);
      assert.deepEqual({ ...after.user, state: 'active', version: 0 }, { ...before.user, state: 'active', version: 0 }, 'name, email, division unchanged');

      assert.deepEqual(step(report, 'queues').left?.map((l) => [l.kind, l.name]), [['queue', 'VIP Care']]);
      assert.match(step(report, 'queues').left![0]!.why, /group Team Leads/);
      assert.equal(step(report, 'queues').changed?.length, 3);
      assert.deepEqual(step(report, 'role_grants').left?.map((l) => l.kind), ['role_grant', 'role_grant']);
      assert.match(step(report, 'role_grants').left![0]!.why, /inherited from group Team Leads/);
      assert.equal(step(report, 'verify').left, undefined, 'the read-back found everything in place');
      assert.equal(rig.sim.stats().byRoute['DELETE /api/v2/users/{id}'], undefined, 'never deletes the user');
    });

    it('removes a direct membership but leaves the group membership of the same queue, and is not partial for it', async () => {
      const id = subjects(rig.sim).directAndGroup;
      assert.ok(rig.sim.inspectUser(id)!.queues.some((q) => q.name === 'Support Tier 2' && q.memberBy === 'user'));
      const report = await rig.deactivator().deactivate(id, { actor: ACTOR });
      assert.equal(report.status, 'completed');
      assert.deepEqual(rig.sim.inspectUser(id)!.queues.map((q) => [q.name, q.memberBy]), [['Support Tier 2', 'group']]);
    });

    it('a dry run only reads, returns every step as planned with what it would change, and changes nothing', async () => {
      const id = rig.sim.org.active[5]!;
      const before = rig.sim.inspectUser(id)!;
      const report = await rig.deactivator({ resolver: stack.resolver }).deactivate(id, { actor: ACTOR, dryRun: true });

      assert.equal(report.status, 'planned');
      assert.equal(report.dryRun, true);
      assert.deepEqual(report.steps.map((s) => [s.step, s.outcome]), ORDER.map((name) => unlessOptional(name, 'planned')));
      assert.deepEqual((step(report, 'queues').changed as { id: string }[]).map((q) => q.id).sort(), before.queues.filter((q) => q.memberBy === 'user').map((q) => q.id).sort());
      assert.equal(step(report, 'skills').changed?.length, before.skills.length);
      assert.deepEqual(changingRoutes(rig.sim), [], 'only GETs and the token request');
      assert.deepEqual(comparable(rig.sim.inspectUser(id)), comparable(before));
    });

    it('a dry run plans the state the run would leave and says which call the reason decides', async () => {
      const id = rig.sim.org.active[5]!;
      const deactivator = rig.deactivator({ resolver: stack.resolver });
      const plain = await deactivator.deactivate(id, { actor: ACTOR, dryRun: true });
      assert.deepEqual(step(plain, 'cache').changed, { state: 'inactive' }, 'the cache would hold the user inactive, as the real run leaves it');
      const state = step(plain, 'state').changed as { to: string; via: string; note: string };
      assert.equal(state.to, 'inactive');
      assert.equal(state.via, 'PATCH /api/v2/users/{id}');
      assert.match(state.note, /given a reason, it uses PUT \/api\/v2\/users\/\{id\}\/state instead/);
      const withReason = step(await deactivator.deactivate(id, { actor: ACTOR, dryRun: true, reason: 'Voluntary' }), 'state').changed as { via: string; reason: string };
      assert.equal(withReason.via, 'PUT /api/v2/users/{id}/state');
      assert.equal(withReason.reason, 'Voluntary');
    });

    it('a second run on a deactivated user is unchanged, every step already, and makes no changing call', async () => {
      const id = rig.sim.org.active[6]!;
      const deactivator = rig.deactivator({ resolver: stack.resolver });
      assert.equal((await deactivator.deactivate(id, { actor: ACTOR })).status, 'completed');
      const settled = rig.sim.inspectUser(id);
      rig.sim.resetStats();

      const again = await deactivator.deactivate(id, { actor: ACTOR });
      assert.equal(again.status, 'unchanged');
      assert.deepEqual(again.steps.map((s) => [s.step, s.outcome]), ORDER.map((name) => unlessOptional(name, 'already')));
      assert.deepEqual(changingRoutes(rig.sim), []);
      assert.deepEqual(rig.sim.inspectUser(id), settled);
    });

    it("refreshes the enricher's cache, so a span looked up right after shows the user inactive", async () => {
      const id = rig.sim.org.active[7]!;
      const warm = (await stack.resolver.resolve([id])).get(id);
      assert.equal(warm?.status === 'found' && warm.user.state, 'active');
      const report = await rig.deactivator({ resolver: stack.resolver }).deactivate(id, { actor: ACTOR });
      assert.equal(step(report, 'cache').outcome, 'done');
      const peeked = stack.resolver.peek(id);
      assert.equal(peeked?.status, 'found');
      assert.equal(peeked.status === 'found' && peeked.user.state, 'inactive');
      assert.equal(peeked.status === 'found' && peeked.user.version, rig.sim.getUser(id)!.version);
    });

    it('re-reads the version and retries when the state change meets a version conflict', async () => {
      const id = rig.sim.org.active[8]!;
      const version = rig.sim.getUser(id)!.version;
      rig.sim.faults.versionConflicts = 1;
      const report = await rig.deactivator().deactivate(id, { actor: ACTOR });
      assert.equal(report.status, 'completed');
      assert.equal((step(report, 'state').changed as { versionConflicts: number }).versionConflicts, 1);
      assert.equal(rig.sim.stats().byRoute['PATCH /api/v2/users/{id}'], 2);
      assert.equal(rig.sim.stats().byStatus['409'], 1);
      assert.deepEqual([rig.sim.getUser(id)!.state, rig.sim.getUser(id)!.version], ['inactive', version + 1]);
    });

    it('with a reason, changes the state through PUT /state, which keeps the reason in Genesys', async () => {
      const id = rig.sim.org.active[9]!;
      const report = await rig.deactivator().deactivate(id, { actor: ACTOR, reason: 'Voluntary' });
      assert.equal(report.reason, 'Voluntary');
      assert.equal((step(report, 'state').changed as { via: string }).via, 'PUT /api/v2/users/{id}/state');
      assert.equal(rig.sim.stats().byRoute['PUT /api/v2/users/{id}/state'], 1);
      assert.equal(rig.sim.stats().byRoute['PATCH /api/v2/users/{id}'], undefined);
      const state = await rig.client.call('getUserState', (apis) => apis.users.getUserState(id));
      assert.deepEqual([state.state, state.stateChangeReason], ['inactive', 'Voluntary']);
    });

    it('waits out a 429 mid-run (Retry-After) and finishes', async () => {
      const id = rig.sim.org.active[10]!;
      const deactivator = rig.deactivator({ wrap: (c) => onFirstChange(c, () => (rig.sim.faults.rateLimitBurst = { count: 1, retryAfterSeconds: 1 })) });
      const started = performance.now();
      const report = await deactivator.deactivate(id, { actor: ACTOR });
      assert.equal(report.status, 'completed');
      assert.equal(rig.sim.stats().byStatus['429'], 1);
      assert.ok(performance.now() - started >= 1000, 'the retry waited for Retry-After');
      assert.equal(rig.sim.getUser(id)!.state, 'inactive');
    });

    it('a user already made inactive elsewhere still loses access and sessions; its state is left as it is', async () => {
      const id = rig.sim.org.inactive[0]!;
      const before = rig.sim.inspectUser(id)!;
      assert.ok(before.activeSessions > 0 && before.queues.some((q) => q.memberBy === 'user'));
      const report = await rig.deactivator().deactivate(id, { actor: ACTOR });
      assert.equal(report.status, 'completed');
      assert.equal(step(report, 'state').outcome, 'already');
      assert.equal(step(report, 'sessions').outcome, 'done');
      const after = rig.sim.inspectUser(id)!;
      assert.deepEqual([after.activeSessions, after.user.version, after.queues.filter((q) => q.memberBy === 'user').length], [0, before.user.version, 0]);
    });

    it('a step Genesys fails ends the run as failed with the error; the next run resumes from the journal', async () => {
      const id = rig.sim.org.active[11]!;
      const broken = rig.deactivator({ wrap: (c) => onFirstChange(c, () => (rig.sim.faults.outage = true)) });
      const failed = await broken.deactivate(id, { actor: ACTOR });
      assert.equal(failed.status, 'failed');
      assert.equal(step(failed, 'routing_status').outcome, 'failed');
      assert.equal(step(failed, 'routing_status').error?.code, 'service.unavailable');
      assert.ok(failed.steps.slice(2).every((s) => s.outcome === 'skipped'));

      rig.sim.faults.outage = false;
      const resumed = await rig.deactivator().deactivate(id, { actor: ACTOR });
      assert.equal(resumed.resumed, true);
      assert.equal(resumed.status, 'completed');
      assert.equal(rig.sim.getUser(id)!.state, 'inactive');
    });
  });

  describe('refusals', () => {
    it('refuses malformed ids before any journal or Genesys access', async () => {
      const deactivator = rig.deactivator();
      const bad = ['', 'not-a-uuid', '../../etc/passwd', `{${rig.sim.org.active[0]}}`, ` ${rig.sim.org.active[0]}`, `${rig.sim.org.active[0]}x`];
      for (const raw of bad) {
        await refusal(deactivator.deactivate(raw, { actor: ACTOR }), 'invalid_user_id');
        await refusal(deactivator.reactivate(raw, { actor: ACTOR }), 'invalid_user_id');
        await refusal(deactivator.identity(raw), 'invalid_user_id');
      }
      assert.equal(rig.sim.stats().total, 0);
      const files = await readdir(`${rig.dataDir}/deactivation`).catch(() => []);
      assert.ok(!files.some((f) => !/^[0-9a-f-]{36}\.jsonl$/.test(f)), `unexpected files: ${files.join(', ')}`);
    });

    it('an unknown user is user_not_found and a deleted one user_deleted; neither is changed', async () => {
      const deactivator = rig.deactivator();
      await refusal(deactivator.deactivate(rig.sim.org.unknown[0]!, { actor: ACTOR }), 'user_not_found');
      const deleted = rig.sim.org.deleted[0]!;
      const before = rig.sim.inspectUser(deleted);
      await refusal(deactivator.deactivate(deleted, { actor: ACTOR }), 'user_deleted');
      assert.deepEqual(rig.sim.inspectUser(deleted), before);
      assert.deepEqual(changingRoutes(rig.sim), []);
    });

    it('reactivating a user with no recorded deactivation is no_snapshot, without asking Genesys', async () => {
      await refusal(rig.deactivator().reactivate(rig.sim.org.active[12]!, { actor: ACTOR }), 'no_snapshot');
      assert.equal(rig.sim.stats().total, 0);
    });

    it('a run while another holds the same user is run_in_progress; other users are not held up', async () => {
      const id = rig.sim.org.active[13]!;
      const gate = gatedClient(rig.client);
      const first = rig.deactivator({ wrap: () => gate }).deactivate(id, { actor: ACTOR });
      await gate.reached;
      const err = await refusal(rig.deactivator().deactivate(id, { actor: ACTOR }), 'run_in_progress');
      assert.equal(err.retryable, true);
      await refusal(rig.deactivator().reactivate(id, { actor: ACTOR }), 'run_in_progress');
      assert.equal((await rig.deactivator().deactivate(rig.sim.org.active[14]!, { actor: ACTOR, dryRun: true })).status, 'planned');
      gate.release();
      assert.equal((await first).status, 'completed');
      assert.equal((await rig.deactivator().deactivate(id, { actor: ACTOR })).status, 'unchanged', 'the lock was released');
    });

    it('rejects run options the adapters should have checked', async () => {
      const id = rig.sim.org.active[15]!;
      await assert.rejects(rig.deactivator().deactivate(id, { actor: '' }), /actor/);
      await assert.rejects(rig.deactivator().deactivate(id, { actor: ACTOR, reason: 'Bored' as never }), /reason/);
      assert.equal(rig.sim.stats().total, 0);
    });
  });

  describe('reactivate', () => {
    it('round trip: restores state, queues with their joined flag, skills and languages with proficiency, and own grants', async () => {
      const id = rig.sim.org.active[16]!;
      const original = rig.sim.inspectUser(id)!;
      const deactivator = rig.deactivator({ resolver: stack.resolver });
      await deactivator.deactivate(id, { actor: ACTOR });
      const report = await deactivator.reactivate(id, { actor: ACTOR });
      const restored = rig.sim.inspectUser(id)!;

      assert.equal(report.status, 'completed');
      assert.equal(report.action, 'reactivate');
      assert.deepEqual(outcomes(report), {
        snapshot: 'done', routing_status: 'skipped', presence: 'skipped', station: 'already', queues: 'done', skills: 'done', languages: 'done',
        groups: 'skipped', division: 'skipped', management_unit: 'skipped', state: 'done', role_grants: 'done', sessions: 'skipped', verify: 'done', cache: 'done',
      });
      const unchangedParts = (i: typeof original) => ({ ...(comparable(i) as object), user: { ...i.user, version: 0 }, activeSessions: 0, routingStatus: '', systemPresence: '' });
      assert.deepEqual(unchangedParts(restored), unchangedParts(original));
      assert.equal(restored.user.state, 'active');
      assert.equal(restored.user.version, original.user.version + 2);
      assert.deepEqual(restored.externalIds, original.externalIds);
      assert.deepEqual([restored.routingStatus, restored.systemPresence], ['OFF_QUEUE', 'Offline'], 'the person goes on queue when they log in');
      const peeked = stack.resolver.peek(id);
      assert.equal(peeked?.status === 'found' && peeked.user.state, 'active');

      rig.sim.resetStats();
      const again = await deactivator.reactivate(id, { actor: ACTOR });
      assert.equal(again.status, 'unchanged');
      assert.deepEqual(changingRoutes(rig.sim), []);
    });

    it('a dry run plans the restore and changes nothing', async () => {
      const id = rig.sim.org.active[17]!;
      await rig.deactivator().deactivate(id, { actor: ACTOR });
      const before = rig.sim.inspectUser(id);
      rig.sim.resetStats();
      const plan = await rig.deactivator().reactivate(id, { actor: ACTOR, dryRun: true });
      assert.equal(plan.status, 'planned');
      assert.equal(step(plan, 'queues').outcome, 'planned');
      assert.ok((step(plan, 'queues').changed as unknown[]).length > 0);
      assert.deepEqual(changingRoutes(rig.sim), []);
      assert.deepEqual(rig.sim.inspectUser(id), before);
    });
  });

  describe('identity', () => {
    it('answers through the cache when there is one, else asks Genesys; deleted users resolve as deleted', async () => {
      const id = rig.sim.org.active[18]!;
      const viaCache = await rig.deactivator({ resolver: stack.resolver }).identity(id);
      assert.equal(viaCache.status === 'found' && viaCache.user.id, id);
      const direct = await rig.deactivator().identity(rig.sim.org.deleted[1]!);
      assert.equal(direct.status === 'found' && direct.user.state, 'deleted');
      assert.deepEqual(await rig.deactivator().identity(rig.sim.org.unknown[1]!), { status: 'not_found' });
    });
  });
});
