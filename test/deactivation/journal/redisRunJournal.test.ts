import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Deactivator } from '../../../src/deactivation/deactivator';
import { RedisRunJournal } from '../../../src/deactivation/journal/redisRunJournal';
import type { JournalRecord } from '../../../src/deactivation/journal/records';
import { DeactivationError } from '../../../src/deactivation/types';
import type { FleetRedis } from '../../../src/fleet/fleetRedis';
import { silentLogger } from '../../../src/telemetry/logger';
import { type RedisServer, startRedisServer } from '../../helpers/redisServer';
import { connectedRedis } from '../../fleet/support';
import { crashingClient, SimulatedCrash } from '../support/clientWrappers';
import { ACTOR, changingRoutes, startRig, subjects, type Rig } from '../support/rig';

const USER = '0a1b2c3d-0000-4000-8000-000000000001';
const record = (runId: string): JournalRecord => ({ v: 1, type: 'run_started', runId, at: new Date().toISOString(), action: 'deactivate', dryRun: false, actor: ACTOR });

function code(err: unknown): string | undefined {
  return err instanceof DeactivationError ? err.code : undefined;
}

describe('RedisRunJournal: one run per user across the fleet, on a real redis-server', () => {
  let server: RedisServer;
  const open: FleetRedis[] = [];
  const replica = async () => {
    const redis = await connectedRedis(server.url);
    open.push(redis);
    return redis;
  };
  before(async () => {
    server = await startRedisServer({ appendonly: true });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
    await server.command('FLUSHALL');
  });
  after(() => server.stop());

  it('gives a user\'s journal to one replica at a time; the next one reads what the first wrote', async () => {
    const a = new RedisRunJournal({ redis: await replica() });
    const b = new RedisRunJournal({ redis: await replica() });
    const session = await a.open(USER);
    await assert.rejects(b.open(USER), (err) => code(err) === 'run_in_progress');
    await session.append(record('run-1'));
    await session.close();
    await session.close(); // safe twice
    const next = await b.open(USER);
    assert.deepEqual(next.records.map((r) => r.runId), ['run-1']);
    assert.deepEqual((await a.read(USER)).map((r) => r.runId), ['run-1']);
    await next.close();
  });

  it('keeps the lock while the holder lives, and frees it once a holder that died misses its lease', async () => {
    const holderRedis = await replica();
    const a = new RedisRunJournal({ redis: holderRedis, leaseMs: 300 });
    const b = new RedisRunJournal({ redis: await replica(), leaseMs: 300 });
    const session = await a.open(USER);
    await new Promise((r) => setTimeout(r, 700)); // past the lease: the heartbeat kept it
    await assert.rejects(b.open(USER), (err) => code(err) === 'run_in_progress');
    await holderRedis.close(); // the holder "dies": no more heartbeats
    await new Promise((r) => setTimeout(r, 500));
    const resumed = await b.open(USER);
    await resumed.close();
    await assert.rejects(session.append(record('too-late')), (err) => code(err) === 'journal_error', 'the dead holder cannot write any more');
  });

  it('refuses with fleet_lock_unavailable (HTTP 503) when Redis is down, rather than run without the fleet-wide lock', async () => {
    const a = new RedisRunJournal({ redis: await replica() });
    await server.kill();
    try {
      await assert.rejects(a.open(USER), (err) => code(err) === 'fleet_lock_unavailable' && (err as DeactivationError).retryable);
    } finally {
      await server.restart();
    }
  });

  it('keeps the journal across a Redis restart with AOF on', async () => {
    const a = new RedisRunJournal({ redis: await replica() });
    const session = await a.open(USER);
    await session.append(record('before-restart'));
    await session.close();
    await server.restart();
    const b = new RedisRunJournal({ redis: await replica() });
    assert.deepEqual((await b.read(USER)).map((r) => r.runId), ['before-restart']);
  });

  describe('a run interrupted on one replica resumes through another', () => {
    let rig: Rig;
    before(async () => {
      rig = await startRig();
    });
    after(() => rig.close());

    it('replica B finishes what replica A started, without redoing its changes', async () => {
      const userId = subjects(rig.sim).full;
      const onA = new Deactivator({ client: crashingClient(rig.client, { operation: 'patchUser', nth: 1, when: 'after' }), journal: new RedisRunJournal({ redis: await replica() }), logger: silentLogger() });
      await assert.rejects(onA.deactivate(userId, { actor: ACTOR }), SimulatedCrash);
      assert.equal(rig.sim.getUser(userId)?.state, 'inactive', 'A changed the state before it was interrupted');
      rig.sim.resetStats();
      const onB = new Deactivator({ client: rig.client, journal: new RedisRunJournal({ redis: await replica() }), logger: silentLogger() });
      const report = await onB.deactivate(userId, { actor: ACTOR });
      assert.equal(report.status, 'completed');
      assert.equal(report.resumed, true, 'B resumed A\'s run from the shared journal');
      assert.ok(!changingRoutes(rig.sim).some((r) => r.startsWith('PATCH /api/v2/users/')), 'B did not change the state again');
    });
  });
});
