import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeSimulator, startSimulator } from '../../src/simulator';

describe('startSimulator', () => {
  it('rejects bad options with one error naming every problem', async () => {
    await assert.rejects(
      startSimulator({ port: -1, tokenLifetimeSeconds: 0, rateLimitPerMinute: 1.5, clientId: 'a:b' }),
      (err: Error) => ['port', 'tokenLifetimeSeconds', 'rateLimitPerMinute', 'clientId'].every((k) => err.message.includes(k)),
    );
  });

  it('listens on a free port by default, uses the credentials it is given, and closes safely twice', async () => {
    const sim = await startSimulator({ clientId: 'demo-client', clientSecret: 'demo-secret' });
    try {
      assert.ok(sim.port > 0);
      assert.equal(sim.url, `http://127.0.0.1:${sim.port}`);
      assert.equal(sim.clientId, 'demo-client');
      assert.equal((await fetch(`${sim.url}/__sim/faults`)).status, 200);
    } finally {
      await sim.close();
      await sim.close();
    }
    await assert.rejects(fetch(`${sim.url}/__sim/faults`));
  });

  it('closes promptly even while a slowed-down request is in flight', async () => {
    const sim = await startSimulator();
    sim.faults.latencyMs = 60_000;
    const pending = fetch(`${sim.url}/api/v2/users`).catch(() => 'dropped');
    while (sim.stats().total === 0) await new Promise((resolve) => setImmediate(resolve)); // the request has arrived
    const started = performance.now();
    await sim.close();
    assert.equal(await pending, 'dropped');
    assert.ok(performance.now() - started < 2000);
  });

  it('generates credentials when none are given, different on each start', async () => {
    const [a, b] = await Promise.all([startSimulator(), startSimulator()]);
    try {
      assert.notEqual(a.clientSecret, b.clientSecret);
      assert.ok(a.clientSecret.length >= 24);
      assert.deepEqual(a.org, b.org, 'the demo org itself is deterministic');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('stores users given through putUser and reads them back through getUser', async () => {
    const sim = await startSimulator({ seedDemoOrg: false });
    try {
      const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
      const put = sim.putUser({
        id, name: 'Test Agent', username: 'test.agent@example.com', email: 'test.agent@example.com', state: 'inactive',
        division: { id: '9b2c1e5a-3c2d-4f4e-8a1b-2c3d4e5f6a7b', name: 'Test Division' },
      });
      assert.equal(put.version, 1);
      assert.deepEqual(sim.getUser(id), put);
      assert.equal(sim.putUser({ ...put, name: 'Renamed', version: undefined }).version, 2, 'version defaults to stored + 1');
      assert.equal(sim.putUser({ ...put, version: 7 }).version, 7);
      assert.equal(sim.getUser(sim.org.unknown[0]), undefined);
    } finally {
      await sim.close();
    }
  });

  it('describes itself for the CLI: URL, credentials, SDK gateway settings and example ids', async () => {
    const sim = await startSimulator();
    try {
      const text = describeSimulator(sim);
      for (const part of [sim.url, sim.clientId, sim.clientSecret, `port: ${sim.port}`, sim.org.active[0], sim.org.inactive[0], sim.org.deleted[0], sim.org.unknown[0], 'Amelia Hart', '/__sim/faults']) {
        assert.ok(text.includes(part), `missing ${part}`);
      }
    } finally {
      await sim.close();
    }
  });
});
