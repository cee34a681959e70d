/**
 * Three `serve` processes on one real redis-server and one Genesys simulator,
 * as a fleet runs them: what one replica looked up costs the others nothing,
 * a deactivation through one shows on the next span of another, a replica
 * restarted cold asks Genesys nothing Redis knows, and Redis going away costs
 * no span and no name, and sharing comes back with it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/index';
import { type ServeProcess, startServe } from '../chaos/support/serveProcess';
import { GrpcSink, type SinkSpan } from '../helpers/grpcSink';
import { type OtelClient, createOtelClient } from '../helpers/otelClient';
import { serviceEnv } from '../helpers/serviceEnv';
import { type RedisServer, startRedisServer } from '../helpers/redisServer';

const ADMIN_TOKEN = 'fleet-test-admin-token-0123456789';
const BUDGET_MS = 1000;
const USERS = 600;
const REDIS_PASSWORD = 'fleet-redis-password-0123456789';

interface Replica {
  readonly proc: ServeProcess;
  readonly client: OtelClient;
  readonly adminPort: number;
}

describe('a fleet of three enrichers on one Redis', () => {
  let redis: RedisServer;
  let sim: Simulator;
  let sink: GrpcSink;
  let dataDir: string;
  const replicas: Replica[] = [];
  const everyProcess: ServeProcess[] = [];
  const users = Array.from({ length: USERS }, (_, i) => `ffffffff-0000-4000-8000-${String(i).padStart(12, '0')}`);

  before(async () => {
    redis = await startRedisServer({ password: REDIS_PASSWORD });
    sim = await startSimulator();
    sim.faults.latencyMs = 20; // a realistic round trip to Genesys
    sink = await GrpcSink.start();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'enricher-fleet-'));
    users.forEach((id, i) => sim.putUser({ id, name: `Fleet Agent ${i}`, username: `fleet${i}@example.com`, email: `fleet${i}@example.com`, state: 'active', division: { id: 'd1', name: 'Home' } }));
    for (let i = 0; i < 3; i++) replicas.push(await startReplica(i));
  });

  after(async () => {
    for (const r of replicas) {
      await r.client.shutdown().catch(() => undefined);
      r.proc.child.kill('SIGKILL');
    }
    await sink?.close();
    await sim?.close();
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function startReplica(n: number): Promise<Replica> {
    const adminPort = await freePort();
    const proc = await startServe(
      serviceEnv(sim, sink.endpoint, {
        ENRICHER_OTLP_HTTP_ADDRESS: 'off',
        ENRICHER_ADMIN_ADDRESS: `127.0.0.1:${adminPort}`,
        ENRICHER_ADMIN_TOKEN: ADMIN_TOKEN,
        ENRICHER_DATA_DIR: path.join(dataDir, `replica-${n}`),
        ENRICHER_LOOKUP_BUDGET_MS: String(BUDGET_MS),
        ENRICHER_REDIS_URL: redis.url,
        ENRICHER_GENESYS_MAX_RPM: '3000',
      }),
    );
    everyProcess.push(proc);
    return { proc, client: createOtelClient({ port: proc.grpcPort }), adminPort };
  }

  /** Sends one span per id through `replica`, tagged `run`; resolves with those spans as the sink got them, by id. */
  async function spansThrough(replica: Replica, ids: readonly string[], run: string): Promise<Map<string, SinkSpan>> {
    ids.forEach((id) => replica.client.tracer.startSpan('fleet-op', { attributes: { 'external.user.id': id, 'test.run': run } }).end());
    await replica.client.flush();
    const mine = () => sink.spans().filter((s) => s.attributes['test.run'] === run);
    await waitFor(() => mine().length >= ids.length, 10_000, () => `${ids.length} spans of ${run} (got ${mine().length})`);
    return new Map(mine().map((s) => [String(s.attributes['external.user.id']), s]));
  }

  async function deactivate(replica: Replica, id: string): Promise<{ status: number; body: { code?: string } }> {
    const res = await fetch(`http://127.0.0.1:${replica.adminPort}/v1/users/${id}/deactivate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    return { status: res.status, body: (await res.json()) as { code?: string } };
  }

  /** Genesys user look-ups since the last reset (token requests are not look-ups). */
  const userCalls = () => Object.entries(sim.stats().byRoute).filter(([route]) => route.includes('/api/v2/users')).reduce((n, [, c]) => n + c, 0);

  it('600 users resolved through one replica cost the other two zero Genesys calls', async () => {
    const first = await spansThrough(replicas[0]!, users, 'warm-a');
    assert.ok(users.every((id) => first.get(id)?.attributes['user.full_name'] !== undefined), 'replica A named every user');
    assert.ok(userCalls() >= 6, 'replica A asked Genesys (600 ids, 100 per call)');
    sim.resetStats();
    for (const [i, r] of [replicas[1]!, replicas[2]!].entries()) {
      const spans = await spansThrough(r, users, `shared-${i}`);
      users.forEach((id, k) => assert.equal(spans.get(id)?.attributes['user.full_name'], `Fleet Agent ${k}`));
    }
    assert.equal(userCalls(), 0, `replicas B and C made Genesys calls: ${JSON.stringify(sim.stats().byRoute)}`);
    const metrics = await (await fetch(`http://127.0.0.1:${replicas[1]!.adminPort}/metrics`)).text();
    assert.match(metrics, /enricher_fleet_directory_lookups_total\{result="redis_hit"\} 600/);
  });

  it('a deactivation through one replica shows as inactive on another replica\'s next span', async () => {
    const id = sim.org.active[0]!;
    const before = await spansThrough(replicas[1]!, [id], 'before-deactivation');
    assert.equal(before.get(id)?.attributes['genesys.user.state'], 'active', 'replica B has the user cached as active');
    const res = await deactivate(replicas[0]!, id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(sim.getUser(id)?.state, 'inactive');
    for (const [i, r] of [replicas[1]!, replicas[2]!].entries()) {
      const after = await spansThrough(r, [id], `after-deactivation-${i}`);
      assert.equal(after.get(id)?.attributes['genesys.user.state'], 'inactive', `replica ${i + 1}`);
    }
  });

  it('the same user\'s deactivation asked of two replicas at once sends one state change to Genesys', async () => {
    const id = sim.org.active[3]!;
    sim.resetStats();
    const answers = await Promise.all([replicas[0]!, replicas[1]!].map((r) => deactivate(r, id)));
    const statuses = answers.map((a) => a.status).sort();
    assert.ok(statuses.every((s) => s === 200 || s === 409), JSON.stringify(answers));
    if (statuses.includes(409)) assert.equal(answers.find((a) => a.status === 409)!.body.code, 'run_in_progress');
    const stateChanges = Object.entries(sim.stats().byRoute).filter(([route]) => route === 'PATCH /api/v2/users/{id}' || route === 'PUT /api/v2/users/{id}/state').reduce((n, [, c]) => n + c, 0);
    assert.equal(stateChanges, 1, JSON.stringify(sim.stats().byRoute));
    assert.equal(sim.getUser(id)?.state, 'inactive');
  });

  it('a replica restarted cold asks Genesys nothing about users already in Redis', async () => {
    const old = replicas.pop()!;
    old.proc.child.kill('SIGKILL');
    await old.proc.exited;
    await old.client.shutdown().catch(() => undefined);
    replicas.push(await startReplica(3));
    sim.resetStats();
    const spans = await spansThrough(replicas[2]!, users, 'cold-restart');
    users.forEach((id, k) => assert.equal(spans.get(id)?.attributes['user.full_name'], `Fleet Agent ${k}`));
    assert.equal(userCalls(), 0, JSON.stringify(sim.stats().byRoute));
  });

  it('Redis killed mid-traffic: no span lost or held past the budget, users still named; Redis back: sharing resumes', async () => {
    const fresh = Array.from({ length: 120 }, (_, i) => {
      const id = `eeeeeeee-0000-4000-8000-${String(i).padStart(12, '0')}`;
      sim.putUser({ id, name: `Late Agent ${i}`, username: `late${i}@example.com`, email: `late${i}@example.com`, state: 'active', division: { id: 'd1', name: 'Home' } });
      return id;
    });
    const rounds = 6;
    const durations: number[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round === 2) await redis.kill();
      const ids = [...users.slice(round * 50, round * 50 + 50), ...fresh.slice(round * 20, round * 20 + 20)];
      const started = performance.now();
      const spans = await spansThrough(replicas[round % 3]!, ids, `outage-${round}`);
      durations.push(performance.now() - started);
      assert.equal(spans.size, ids.length, `round ${round}: every span arrived`);
      for (const id of ids) assert.ok(spans.get(id)?.attributes['user.full_name'], `round ${round}: ${id} named`);
      if (round === 3) {
        const refused = await deactivate(replicas[0]!, sim.org.active[5]!);
        assert.deepEqual([refused.status, refused.body.code], [503, 'fleet_lock_unavailable'], 'no deactivation without the fleet-wide lock');
      }
    }
    // Acknowledged within the look-up budget plus the sink round trip and scheduling on a busy machine.
    for (const ms of durations) assert.ok(ms < BUDGET_MS + 2000, `a request took ${Math.round(ms)} ms: ${durations.map(Math.round).join(', ')}`);

    await redis.restart(); // empty: no persistence in this test
    const deadline = Date.now() + 30_000;
    for (let n = 0; ; n++) {
      const id = `dddddddd-0000-4000-8000-${String(n).padStart(12, '0')}`;
      sim.putUser({ id, name: `Back Agent ${n}`, username: `back${n}@example.com`, email: `back${n}@example.com`, state: 'active', division: { id: 'd1', name: 'Home' } });
      await spansThrough(replicas[0]!, [id], `back-a-${n}`);
      sim.resetStats();
      const other = await spansThrough(replicas[1]!, [id], `back-b-${n}`);
      assert.equal(other.get(id)?.attributes['user.full_name'], `Back Agent ${n}`);
      if (userCalls() === 0) break; // replica B had it from Redis: sharing resumed by itself
      assert.ok(Date.now() < deadline, 'sharing did not resume within 30 s of Redis coming back');
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  it('never writes the Redis password to its output, through start, outage and recovery', () => {
    assert.ok(everyProcess.length >= 4);
    for (const proc of everyProcess) {
      const text = proc.output();
      assert.match(text, /"redis":"redis:\/\/:\*\*\*@127\.0\.0\.1:\d+"/, 'the start-up line names the Redis, redacted');
      assert.ok(!text.includes(REDIS_PASSWORD), 'the password appeared in a replica\'s output');
    }
  });
});

async function waitFor(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
