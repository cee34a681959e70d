/**
 * One Genesys budget for a fleet: three `serve` processes on one real
 * redis-server, each with more misses than the fleet's ceiling allows,
 * together send no more Genesys requests than the ceiling (and use it).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../src/simulator/index';
import { type ServeProcess, startServe } from '../chaos/support/serveProcess';
import { GrpcSink } from '../helpers/grpcSink';
import { type OtelClient, createOtelClient } from '../helpers/otelClient';
import { serviceEnv } from '../helpers/serviceEnv';
import { type RedisServer, startRedisServer } from '../helpers/redisServer';

const CEILING = 10;
const USERS_PER_REPLICA = 1500; // 15 bulk look-ups each: 45 for the three, against a ceiling of 10

describe('the fleet-wide Genesys budget (ENRICHER_FLEET_GENESYS_MAX_RPM), three processes', () => {
  let redis: RedisServer;
  let sim: Simulator;
  let sink: GrpcSink;
  const procs: ServeProcess[] = [];
  const clients: OtelClient[] = [];

  before(async () => {
    redis = await startRedisServer();
    sim = await startSimulator();
    sim.faults.latencyMs = 20;
    sink = await GrpcSink.start();
    for (let n = 0; n < 3; n++) {
      const proc = await startServe(
        serviceEnv(sim, sink.endpoint, {
          ENRICHER_OTLP_HTTP_ADDRESS: 'off',
          ENRICHER_REDIS_URL: redis.url,
          ENRICHER_FLEET_GENESYS_MAX_RPM: String(CEILING),
          ENRICHER_LOOKUP_BUDGET_MS: '200',
          // This test is about the budget: spans held for look-ups the budget delays leave after 1 s.
          ENRICHER_LOOKUP_HOLD_MS: '1000',
        }),
      );
      procs.push(proc);
      clients.push(createOtelClient({ port: proc.grpcPort }));
    }
  });

  after(async () => {
    for (const c of clients) await c.shutdown().catch(() => undefined);
    for (const p of procs) p.child.kill('SIGKILL');
    await sink?.close();
    await sim?.close();
    await redis?.stop();
  });

  it('three processes together stay under the ceiling within the minute, and use it', async () => {
    for (let n = 0; n < 3; n++) {
      for (let i = 0; i < USERS_PER_REPLICA; i++) {
        const id = `${(0xa0 + n).toString(16)}aaaaaa-0000-4000-8000-${String(i).padStart(12, '0')}`;
        sim.putUser({ id, name: `Budget ${n}-${i}`, username: `b${n}-${i}@example.com`, email: `b${n}-${i}@example.com`, state: 'active', division: { id: 'd1', name: 'Home' } });
        clients[n]!.tracer.startSpan('budget-op', { attributes: { 'external.user.id': id, 'test.run': 'budget' } }).end();
      }
    }
    sim.resetStats();
    const started = Date.now();
    await Promise.all(clients.map((c) => c.flush()));
    // Spans are held at most ENRICHER_LOOKUP_HOLD_MS (1 s here) while the budget delays their look-ups.
    const arrived = () => sink.spans().filter((s) => s.attributes['test.run'] === 'budget').length;
    while (arrived() < 3 * USERS_PER_REPLICA) {
      assert.ok(Date.now() - started < 20_000, `only ${arrived()} spans arrived`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 5000)); // look-ups go on in the background, waiting for budget
    const stats = sim.stats();
    const genesysRequests = stats.total - (stats.byRoute['POST /oauth/token'] ?? 0);
    assert.ok(Date.now() - started < 60_000, 'all of it within one minute window');
    assert.ok(genesysRequests <= CEILING, `${genesysRequests} Genesys requests in under a minute (ceiling ${CEILING}): ${JSON.stringify(stats.byRoute)}`);
    assert.ok(genesysRequests >= CEILING - 1, `the budget was used: ${genesysRequests}`);
  });
});
