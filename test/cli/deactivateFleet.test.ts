/**
 * The CLI in a fleet: with ENRICHER_REDIS_URL its runs take the same
 * fleet-wide lock and journal (in Redis) as the service's replicas.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RedisRunJournal } from '../../src/deactivation/journal/redisRunJournal';
import { startSimulator, type Simulator } from '../../src/simulator/index';
import { type RedisServer, startRedisServer } from '../helpers/redisServer';
import { connectedRedis } from '../fleet/support';

const MAIN = path.resolve(__dirname, '../../src/cli/main.js');

describe('genesys-otel-enricher deactivate with ENRICHER_REDIS_URL', () => {
  let redis: RedisServer;
  let sim: Simulator;
  before(async () => {
    redis = await startRedisServer({ password: 'cli-redis-pass-never-shown' });
    sim = await startSimulator();
  });
  after(async () => {
    await sim.close();
    await redis.stop();
  });

  it('refuses a user whose run a replica holds, runs the others with their journal in Redis, and never shows the Redis password', async () => {
    const [held, free] = [sim.org.active[6]!, sim.org.active[7]!];
    const replica = await connectedRedis(redis.url);
    const session = await new RedisRunJournal({ redis: replica }).open(held); // a replica is running this user
    const cwd = mkdtempSync(path.join(tmpdir(), 'cli-fleet-'));
    try {
      const child = spawn(process.execPath, [MAIN, 'deactivate', '--json', held, free], {
        cwd,
        env: { PATH: process.env.PATH ?? '', GENESYS_CLIENT_ID: sim.clientId, GENESYS_CLIENT_SECRET: sim.clientSecret, GENESYS_API_URL: sim.url, ENRICHER_REDIS_URL: redis.url, ENRICHER_GENESYS_MAX_RPM: '3000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      await once(child, 'exit');
      const items = JSON.parse(out) as Array<{ userId: string; report?: { status: string }; error?: { code: string } }>;
      assert.deepEqual(items.map((i) => i.report?.status ?? i.error?.code), ['run_in_progress', 'completed'], err);
      assert.equal(sim.getUser(held)?.state, 'active');
      assert.equal(sim.getUser(free)?.state, 'inactive');
      assert.ok(Number(await redis.command('LLEN', `genesys-enricher:deactivation:{${free}}:journal`)) > 0, 'the journal is in Redis');
      assert.ok(!existsSync(path.join(cwd, 'data', 'deactivation')), 'and not in files');
      assert.doesNotMatch(out + err, /cli-redis-pass-never-shown/);
    } finally {
      await session.close();
      await replica.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
