/**
 * Finding people (`GET /v1/users?...`) and the runs listing (`GET /v1/runs`)
 * over the real Deactivator, its file journal and the simulator behind the
 * real SDK.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenFingerprint } from '../../src/admin/auth';
import { Deactivator, FileRunJournal } from '../../src/deactivation/index';
import { GenesysClient } from '../../src/directory/index';
import { startSimulator, type Simulator } from '../../src/simulator/index';
import { silentLogger } from '../../src/telemetry/logger';
import { startAdmin, type AdminHarness } from './support/adminHarness';

const TOKEN = 'find-and-runs-admin-token';

describe('admin API: finding people and listing runs', () => {
  let sim: Simulator;
  let client: GenesysClient;
  let dataDir: string;
  let admin: AdminHarness;

  before(async () => {
    sim = await startSimulator();
    dataDir = await mkdtemp(join(tmpdir(), 'admin-find-'));
    client = new GenesysClient({ clientId: sim.clientId, clientSecret: sim.clientSecret, apiUrl: sim.url, logger: silentLogger() });
    const deactivation = new Deactivator({ client, journal: new FileRunJournal({ dataDir }), logger: silentLogger() });
    admin = await startAdmin({ token: TOKEN, deactivation });
  });

  after(async () => {
    await admin.close();
    client.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const get = (path: string, token = TOKEN) => admin.request('GET', path, { token });

  it('finds a person by HR external id: userId, name, username, email, state, division; authoritative', async () => {
    const id = sim.org.active[3]!;
    const [hr] = sim.inspectUser(id)!.externalIds;
    const res = await get(`/v1/users?authority=${encodeURIComponent(hr!.authorityName)}&externalKey=${encodeURIComponent(hr!.externalKey)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const user = sim.getUser(id)!;
    assert.deepEqual(res.body.users, [{ userId: id, name: user.name, username: user.username, email: user.email, state: 'active', division: { id: user.division.id, name: user.division.name } }]);
    assert.equal(res.body.consistency, 'authoritative');
  });

  it('an unknown external key (keys are case sensitive) finds nobody: 200 with an empty list', async () => {
    const [hr] = sim.inspectUser(sim.org.active[3]!)!.externalIds;
    const res = await get(`/v1/users?authority=${hr!.authorityName}&externalKey=${hr!.externalKey.toLowerCase()}`);
    assert.deepEqual([res.status, res.body.users], [200, []]);
  });

  it('finds a person by email, in any letter case, and says search is eventually consistent', async () => {
    const user = sim.getUser(sim.org.active[4]!)!;
    const res = await get(`/v1/users?email=${encodeURIComponent(user.email.toUpperCase())}`);
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.users as { userId: string }[]).map((u) => u.userId), [user.id]);
    assert.equal(res.body.consistency, 'eventual');
    assert.match(String(res.body.note), /eventually consistent/);
    assert.equal(sim.stats().byRoute['POST /api/v2/users/search'] !== undefined, true);
  });

  it('refuses bad queries with 400 invalid_query, without calling Genesys, and needs the token', async () => {
    sim.resetStats();
    for (const q of ['', '?authority=hr-system', '?email=a@b.example&authority=x&externalKey=y', '?email=not-an-email', '?name=Amelia', '?email=a@b.example&email=c@d.example']) {
      const res = await get(`/v1/users${q}`);
      assert.deepEqual([res.status, res.body.code], [400, 'invalid_query'], q);
    }
    assert.equal(sim.stats().total, 0);
    assert.equal((await get('/v1/users?email=a@b.example', 'wrong')).status, 401);
    assert.equal((await get('/v1/runs', 'wrong')).status, 401);
    assert.equal((await admin.request('POST', '/v1/runs', { token: TOKEN })).status, 405);
  });

  it('lists runs since a time: user, action, actor (the token fingerprint, never the token), start, finish, outcome', async () => {
    const since = new Date().toISOString();
    const [a, b] = [sim.org.active[10]!, sim.org.active[11]!];
    const post = (path: string, body?: unknown) => admin.request('POST', path, { token: TOKEN, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal((await post(`/v1/users/${a}/deactivate`, { dryRun: true })).status, 200);
    assert.equal((await post(`/v1/users/${a}/deactivate`)).status, 200);
    assert.equal((await post(`/v1/users/${b}/deactivate`)).status, 200);
    assert.equal((await post(`/v1/users/${a}/reactivate`)).status, 200);

    const res = await get(`/v1/runs?since=${encodeURIComponent(since)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const runs = res.body.runs as { userId: string; action: string; dryRun: boolean; actor: string; startedAt: string; finishedAt: string; outcome: string }[];
    assert.deepEqual(
      runs.map((r) => [r.userId, r.action, r.dryRun, r.outcome]),
      [[a, 'deactivate', true, 'planned'], [a, 'deactivate', false, 'completed'], [b, 'deactivate', false, 'completed'], [a, 'reactivate', false, 'completed']],
    );
    assert.deepEqual([...new Set(runs.map((r) => r.actor))], [`admin:${tokenFingerprint(TOKEN)}`]);
    assert.ok(!JSON.stringify(res.body).includes(TOKEN), 'the token itself never appears');
    assert.ok(runs.every((r) => r.startedAt >= since && r.finishedAt >= r.startedAt));

    const later = await get(`/v1/runs?since=${encodeURIComponent(runs[3]!.startedAt)}&limit=5`);
    assert.deepEqual((later.body.runs as { action: string }[]).map((r) => r.action), ['reactivate']);
    assert.deepEqual([(await get('/v1/runs?since=yesterday')).body.code, (await get('/v1/runs?limit=0')).body.code], ['invalid_query', 'invalid_query']);
  });
});
