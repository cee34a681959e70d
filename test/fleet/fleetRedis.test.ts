import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FleetRedis } from '../../src/fleet/fleetRedis';
import { redactRedisUrl } from '../../src/fleet/redisUrl';
import { createLogger, silentLogger } from '../../src/telemetry/logger';
import { type RedisServer, startRedisServer } from '../helpers/redisServer';

const PASSWORD = 'r3dis-pa55word-never-logged';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('FleetRedis: the fleet\'s connection to a real redis-server', () => {
  let server: RedisServer;
  before(async () => {
    server = await startRedisServer({ password: PASSWORD });
  });
  after(() => server.stop());

  it('authenticates with the password of the URL and runs commands', async () => {
    const redis = new FleetRedis({ url: server.url, logger: silentLogger() });
    redis.start();
    try {
      await until(() => redis.stats().connected);
      const set = await redis.run((r) => r.set(redis.key('probe'), 'yes'));
      assert.deepEqual(set, { ok: true, value: 'OK' });
      assert.equal(await server.command('GET', 'genesys-enricher:probe'), 'yes', 'keys carry the prefix');
      assert.equal(redis.stats().ok, 1);
    } finally {
      await redis.close();
    }
  });

  it('never writes the password to the log, whether the password is wrong or the server is gone', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
    const wrong = new FleetRedis({ url: `redis://:${PASSWORD}-wrong@127.0.0.1:${server.port}`, logger });
    const gone = new FleetRedis({ url: `redis://user:${PASSWORD}@127.0.0.1:1`, logger });
    wrong.start();
    gone.start();
    try {
      await until(() => lines.length >= 2);
      assert.deepEqual(await wrong.run((r) => r.ping()), { ok: false });
      const text = lines.join('');
      assert.match(text, /Redis unavailable/);
      assert.ok(!text.includes(PASSWORD), `password in the log:\n${text}`);
      assert.match(text, /redis:\/\/user:\*\*\*@127\.0\.0\.1:1/, 'where it connects is logged, redacted');
    } finally {
      await wrong.close();
      await gone.close();
    }
  });

  it('answers {ok:false} within the wait bound when Redis is down, opens its breaker, and resumes by itself when Redis is back', async () => {
    const redis = new FleetRedis({ url: server.url, waitMs: 50, breakerFailures: 3, breakerCooldownMs: 200, maxReconnectDelayMs: 200, logger: silentLogger() });
    redis.start();
    try {
      await until(() => redis.stats().connected);
      await server.kill();
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        assert.deepEqual(await redis.run((r) => r.ping()), { ok: false });
        assert.ok(performance.now() - started < 500, 'a command never waits past its bound (plus scheduling)');
      }
      assert.equal(redis.stats().breaker, 'open', 'three failures in a row open the breaker');
      assert.ok(redis.stats().shortCircuited >= 1, 'while open, commands are not even sent');
      await server.restart();
      await until(async () => (await redis.run((r) => r.ping())).ok);
      assert.equal(redis.stats().breaker, 'closed');
      assert.ok(redis.stats().connects >= 2, 'it reconnected');
    } finally {
      await redis.close();
    }
  });

  it('delivers pub/sub messages, and again after Redis restarted', async () => {
    const a = new FleetRedis({ url: server.url, maxReconnectDelayMs: 200, logger: silentLogger() });
    const b = new FleetRedis({ url: server.url, maxReconnectDelayMs: 200, logger: silentLogger() });
    const got: string[] = [];
    b.subscribe('news', (m) => got.push(m));
    a.start();
    b.start();
    try {
      await until(async () => {
        await a.run((r) => r.publish(a.key('news'), 'hello'));
        return got.includes('hello');
      });
      await server.restart();
      await until(async () => {
        await a.run((r) => r.publish(a.key('news'), 'again'));
        return got.includes('again');
      });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('redactRedisUrl', () => {
  it('keeps scheme, user, host, port and database, never the password', () => {
    assert.equal(redactRedisUrl('redis://app:s3cret@redis:6379/2'), 'redis://app:***@redis:6379/2');
    assert.equal(redactRedisUrl('rediss://:s3cret@redis.example.com:6380'), 'rediss://:***@redis.example.com:6380');
    assert.equal(redactRedisUrl('redis://redis:6379'), 'redis://redis:6379');
    assert.equal(redactRedisUrl('not a url s3cret'), '(invalid Redis URL)');
  });
});
