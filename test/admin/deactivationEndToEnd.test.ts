/**
 * The admin routes over the real use case: the Genesys simulator behind the
 * real GenesysClient, the real Deactivator with its file journal, the real
 * cache, and the admin app on port 0.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deactivator, FileRunJournal } from '../../src/deactivation/index';
import { CachedIdentityResolver, GenesysClient, UserBatcher, UserLookup } from '../../src/directory/index';
import { startSimulator, type Simulator } from '../../src/simulator/index';
import { silentLogger } from '../../src/telemetry/logger';
import { startAdmin, type AdminHarness } from './support/adminHarness';

const TOKEN = 'e2e-admin-token';

describe('admin API over the real deactivation module and the simulator', () => {
  let sim: Simulator;
  let client: GenesysClient;
  let batcher: UserBatcher;
  let journal: FileRunJournal;
  let dataDir: string;
  let admin: AdminHarness;

  before(async () => {
    sim = await startSimulator();
    dataDir = await mkdtemp(join(tmpdir(), 'admin-e2e-'));
    client = new GenesysClient({ clientId: sim.clientId, clientSecret: sim.clientSecret, apiUrl: sim.url, logger: silentLogger() });
    batcher = new UserBatcher({ lookup: new UserLookup({ client }) });
    const resolver = new CachedIdentityResolver({ lookup: batcher, max: 1000, ttlMs: 600_000, notFoundTtlMs: 60_000, staleWindowMs: 3_600_000 });
    journal = new FileRunJournal({ dataDir });
    const deactivation = new Deactivator({ client, journal, resolver, logger: silentLogger() });
    admin = await startAdmin({ token: TOKEN, deactivation });
  });

  after(async () => {
    await admin.close();
    batcher.close();
    client.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const post = (path: string, body?: unknown) =>
    admin.request('POST', path, { token: TOKEN, body: body === undefined ? undefined : JSON.stringify(body) });

  it('previews, deactivates, then answers a second call with a 200 that changes nothing, and reactivates', async () => {
    const id = sim.org.active[0];
    const plan = await post(`/v1/users/${id}/deactivate`, { dryRun: true });
    assert.equal(plan.status, 200);
    assert.equal(plan.body.status, 'planned');
    assert.equal(sim.getUser(id)?.state, 'active', 'a dry run changes nothing');

    const run = await post(`/v1/users/${id}/deactivate`, { reason: 'Voluntary' });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.equal(run.body.status, 'completed');
    assert.equal(run.body.reason, 'Voluntary');
    assert.equal(sim.getUser(id)?.state, 'inactive');

    const identity = await admin.request('GET', `/v1/users/${id}`, { token: TOKEN });
    assert.equal((identity.body.user as { state: string }).state, 'inactive', 'the enricher sees the new state at once');

    const again = await post(`/v1/users/${id}/deactivate`);
    assert.equal(again.status, 200);
    assert.equal(again.body.status, 'unchanged');

    const back = await post(`/v1/users/${id}/reactivate`);
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(sim.getUser(id)?.state, 'active');
  });

  it('answers 409 run_in_progress while another process holds the user', async () => {
    const id = sim.org.active[1];
    const session = await journal.open(id); // as the CLI would, mid-run
    try {
      const res = await post(`/v1/users/${id}/deactivate`);
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'run_in_progress');
    } finally {
      await session.close();
    }
    assert.equal(sim.getUser(id)?.state, 'active');
  });

  it('answers 404 for an unknown user and 400 for a malformed id without calling Genesys', async () => {
    assert.equal((await post(`/v1/users/${sim.org.unknown[0]}/deactivate`)).body.code, 'user_not_found');
    sim.resetStats();
    const res = await post('/v1/users/12345/deactivate');
    assert.equal(res.status, 400);
    assert.equal(sim.stats().total, 0);
  });
});
