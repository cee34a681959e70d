import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { GenesysClient } from '../../../src/directory/genesys/genesysClient';
import { GenesysError } from '../../../src/directory/genesys/errors';
import type { RunningSimulator } from '../../../src/simulator/types';
import { createLogger, silentLogger } from '../../../src/telemetry/logger';
import { BULK_ROUTE, TOKEN_ROUTE, clientFor, fakeClock, routeCount, startSim, withSim } from '../support/directoryFixtures';

const SINGLE_ROUTE = 'GET /api/v2/users/{id}';

/** Rejection of `promise` as a GenesysError (fails the test if it resolves or rejects otherwise). */
async function rejection(promise: Promise<unknown>): Promise<GenesysError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof GenesysError, `expected a GenesysError, got ${inspect(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

function visible(err: GenesysError): string {
  return [err.message, err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 5 })].join('\n');
}

describe('GenesysClient', () => {
  let sim: RunningSimulator;
  const clients: GenesysClient[] = [];
  const track = (client: GenesysClient): GenesysClient => (clients.push(client), client);
  const getOneUser = (client: GenesysClient, id: string) => client.call('getUser', (apis) => apis.users.getUser(id));

  before(async () => {
    sim = await startSim();
  });
  beforeEach(() => {
    for (const key of Object.keys(sim.faults) as (keyof typeof sim.faults)[]) delete sim.faults[key];
    sim.resetStats();
  });
  after(async () => {
    for (const client of clients) client.close();
    await sim.close();
  });

  describe('options', () => {
    const valid = () => ({ clientId: 'id', clientSecret: 'secret', logger: silentLogger() });
    for (const [option, patch, message] of [
      ['clientId', { clientId: '' }, /"clientId" must be a non-empty string/],
      ['clientSecret', { clientSecret: undefined }, /"clientSecret" must be a non-empty string/],
      ['region', { region: 'https://x' }, /"region" must be a host name/],
      ['apiUrl', { apiUrl: 'not a url' }, /"apiUrl" must be an absolute URL/],
      ['apiUrl protocol', { apiUrl: 'ftp://127.0.0.1:21' }, /"apiUrl" must use http or https/],
      ['retry.maxAttempts', { retry: { maxAttempts: 0 } }, /"retry.maxAttempts" must be >= 1, got 0/],
      ['retry.budgetMs', { retry: { budgetMs: 1.5 } }, /"retry.budgetMs" must be an integer/],
      ['retry.maxBackoffMs', { retry: { initialBackoffMs: 100, maxBackoffMs: 10 } }, /"retry.maxBackoffMs" \(10\) must be >= "retry.initialBackoffMs" \(100\)/],
      ['requestTimeoutMs', { requestTimeoutMs: 5_000, retry: { budgetMs: 1_000 } }, /"requestTimeoutMs" \(5000\) must be <= "retry.budgetMs" \(1000\)/],
      ['logger', { logger: undefined }, /"logger" is required/],
      ['now', { now: 5 }, /"now" must be a function/],
    ] as const) {
      it(`rejects a bad ${option} at construction, naming it`, () => {
        assert.throws(() => new GenesysClient({ ...valid(), ...(patch as object) }), (err: Error) => {
          assert.match(err.message, /^GenesysClient: /);
          assert.match(err.message, message);
          return true;
        });
      });
    }

    it('never echoes a string option value in a validation error', () => {
      assert.throws(
        () => new GenesysClient({ ...valid(), clientSecret: 'top-secret', retry: { maxAttempts: 'top-secret' as unknown as number } }),
        (err: Error) => !err.message.includes('top-secret'),
      );
    });
  });

  it('sends API calls and the token request to apiUrl through the SDK, and resolves with the body', async () => {
    const client = track(clientFor(sim));
    const user = await getOneUser(client, sim.org.active[0]!);
    assert.equal(user.id, sim.org.active[0]);
    assert.equal(routeCount(sim, TOKEN_ROUTE), 1);
    assert.equal(routeCount(sim, SINGLE_ROUTE), 1);
    assert.deepEqual(client.stats(), {
      requests: 2,
      byStatus: { '200': 2 },
      tokenRequests: 1,
      unauthorizedRetries: 0,
      retries: 0,
      budgetExhausted: 0,
    });
  });

  it('rejects bad credentials with a non-retryable 401 GenesysError that holds no secret, and does not retry', async () => {
    const secret = 'wrong-secret-0123456789';
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
    const client = track(clientFor(sim, { clientSecret: secret, logger }));
    const err = await rejection(getOneUser(client, sim.org.active[0]!));
    assert.deepEqual([err.status, err.code, err.retryable, err.operation], [401, 'invalid_client', false, 'oauth.token']);
    const basic = Buffer.from(`${sim.clientId}:${secret}`).toString('base64');
    for (const text of [visible(err), lines.join('')]) {
      assert.ok(!text.includes(secret), 'client secret leaked');
      assert.ok(!text.includes(basic), 'basic credential leaked');
    }
    assert.equal(routeCount(sim, TOKEN_ROUTE), 1);
    assert.equal(routeCount(sim, SINGLE_ROUTE), 0);
  });

  it('after a 429 waits Retry-After seconds, then succeeds', async () => {
    const client = track(clientFor(sim));
    await getOneUser(client, sim.org.active[0]!); // token first: the burst applies to API requests
    sim.resetStats();
    sim.faults.rateLimitBurst = { count: 1, retryAfterSeconds: 1 };
    const started = performance.now();
    const user = await getOneUser(client, sim.org.active[1]!);
    const elapsed = performance.now() - started;
    assert.equal(user.id, sim.org.active[1]);
    assert.ok(elapsed >= 950, `retried after ${elapsed} ms, before Retry-After`);
    assert.equal(routeCount(sim, SINGLE_ROUTE), 2);
    assert.equal(sim.stats().byStatus['429'], 1);
    assert.equal(client.stats().retries, 1);
  });

  it('gives up at once with budget_exhausted when Retry-After would outlast the budget', async () => {
    const client = track(clientFor(sim, { retry: { maxAttempts: 5, budgetMs: 500, initialBackoffMs: 10, maxBackoffMs: 50 }, requestTimeoutMs: 400 }));
    await getOneUser(client, sim.org.active[0]!);
    sim.resetStats();
    sim.faults.rateLimitBurst = { count: 5, retryAfterSeconds: 1 };
    const started = performance.now();
    const err = await rejection(getOneUser(client, sim.org.active[0]!));
    assert.ok(performance.now() - started < 400, 'waited for a Retry-After past the budget');
    assert.deepEqual([err.code, err.status, err.retryable], ['budget_exhausted', 429, true]);
    assert.equal(routeCount(sim, SINGLE_ROUTE), 1);
    assert.equal(client.stats().budgetExhausted, 1);
  });

  it('retries 503 with backoff up to maxAttempts, then rejects with a retryable error', async () => {
    const client = track(clientFor(sim));
    await getOneUser(client, sim.org.active[0]!);
    sim.resetStats();
    sim.faults.outage = true;
    const err = await rejection(getOneUser(client, sim.org.active[0]!));
    assert.deepEqual([err.status, err.code, err.retryable, err.operation], [503, 'service.unavailable', true, 'getUser']);
    assert.equal(routeCount(sim, SINGLE_ROUTE), 3);
    assert.equal(sim.stats().byStatus['503'], 3);
    assert.equal(client.stats().retries, 2);
  });

  it('treats dropped connections as retryable network errors', async () => {
    const client = track(clientFor(sim));
    await getOneUser(client, sim.org.active[0]!);
    sim.faults.outage = true;
    sim.faults.outageMode = 'reset';
    const err = await rejection(getOneUser(client, sim.org.active[0]!));
    assert.deepEqual([err.status, err.code, err.retryable], [0, 'network', true]);
    assert.equal(client.stats().byStatus.network, 3);
  });

  it('bounds slow answers by requestTimeoutMs and the whole call by the budget', () =>
    withSim(async (slow) => {
      const client = track(clientFor(slow, { requestTimeoutMs: 100, retry: { maxAttempts: 10, initialBackoffMs: 10, maxBackoffMs: 20, budgetMs: 300 } }));
      await getOneUser(client, slow.org.active[0]!);
      slow.faults.latencyMs = 1_000;
      const started = performance.now();
      const err = await rejection(getOneUser(client, slow.org.active[0]!));
      const elapsed = performance.now() - started;
      assert.deepEqual([err.code, err.retryable], ['budget_exhausted', true]);
      assert.match(err.message, /last: getUser: timeout/);
      assert.ok(elapsed < 300 + 250, `call took ${elapsed} ms with a 300 ms budget`);
      assert.ok((client.stats().byStatus.timeout ?? 0) >= 2);
    }));

  it('does not retry a 404, and says so', async () => {
    const client = track(clientFor(sim));
    const err = await rejection(getOneUser(client, sim.org.unknown[0]!));
    assert.deepEqual([err.status, err.code, err.retryable], [404, 'not.found', false]);
    assert.equal(routeCount(sim, SINGLE_ROUTE), 1);
  });

  it('maps an argument the SDK refuses synchronously to client_error without a request', async () => {
    const client = track(clientFor(sim));
    const err = await rejection(client.call('getUser', (apis) => apis.users.getUser(undefined as unknown as string)));
    assert.deepEqual([err.code, err.retryable], ['client_error', false]);
    assert.match(err.message, /Missing the required parameter/);
    assert.equal(routeCount(sim, SINGLE_ROUTE), 0);
  });

  describe('tokens', () => {
    it('renews once on a 401 after the server expired the token, and succeeds', async () => {
      const client = track(clientFor(sim));
      await getOneUser(client, sim.org.active[0]!);
      sim.expireAllTokens();
      const user = await getOneUser(client, sim.org.active[1]!);
      assert.equal(user.id, sim.org.active[1]);
      assert.equal(routeCount(sim, TOKEN_ROUTE), 2);
      assert.equal(sim.stats().byStatus['401'], 1);
      assert.equal(client.stats().unauthorizedRetries, 1);
    });

    it('shares one renewal among concurrent calls that all got 401', async () => {
      const client = track(clientFor(sim));
      await getOneUser(client, sim.org.active[0]!);
      sim.expireAllTokens();
      const users = await Promise.all(sim.org.active.slice(0, 10).map((id) => getOneUser(client, id)));
      assert.equal(users.length, 10);
      assert.equal(routeCount(sim, TOKEN_ROUTE), 2);
    });

    it('renews shortly before expiry, not earlier, and never sends an expired token (injected clock)', () =>
      withSim(async (short) => {
        const clock = fakeClock();
        const client = track(clientFor(short, { now: clock.now }));
        await getOneUser(client, short.org.active[0]!);
        // Lifetime 4 s: renewal starts at the later of 10% / 60 s before expiry, capped at half the lifetime: 2 s.
        clock.advance(1_800);
        await getOneUser(client, short.org.active[0]!);
        assert.equal(routeCount(short, TOKEN_ROUTE), 1, 'renewed too early');
        clock.advance(400);
        await Promise.all([getOneUser(client, short.org.active[0]!), getOneUser(client, short.org.active[1]!)]);
        assert.equal(routeCount(short, TOKEN_ROUTE), 2, 'concurrent renewals should share one request');
        assert.equal(short.stats().byStatus['401'] ?? 0, 0);
      }, { tokenLifetimeSeconds: 4 }));

    it('renews before a short-lived token expires on the server (real time)', () =>
      withSim(async (short) => {
        const client = track(clientFor(short));
        await getOneUser(client, short.org.active[0]!);
        // Renewal window is the last second of the 2 s lifetime.
        await new Promise((resolve) => setTimeout(resolve, 1_200));
        await getOneUser(client, short.org.active[0]!);
        assert.equal(routeCount(short, TOKEN_ROUTE), 2);
        assert.equal(short.stats().byStatus['401'] ?? 0, 0);
        assert.equal(client.stats().unauthorizedRetries, 0);
      }, { tokenLifetimeSeconds: 2 }));

    it('keeps the bearer token out of logs at trace level', async () => {
      const lines: string[] = [];
      const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
      const client = track(clientFor(sim, { logger }));
      await getOneUser(client, sim.org.active[0]!);
      sim.expireAllTokens();
      sim.faults.rateLimitBurst = { count: 1, retryAfterSeconds: 0 };
      await getOneUser(client, sim.org.active[0]!);
      const text = lines.join('');
      assert.ok(text.length > 0, 'expected some log records');
      assert.doesNotMatch(text, /Bearer|Basic /);
      assert.ok(!text.includes(sim.clientSecret));
    });
  });

  describe('cancellation', () => {
    it('rejects with aborted when the caller aborts', () =>
      withSim(async (slow) => {
        const client = track(clientFor(slow));
        await getOneUser(client, slow.org.active[0]!);
        slow.faults.latencyMs = 2_000;
        const controller = new AbortController();
        const call = client.call('getUser', (apis) => apis.users.getUser(slow.org.active[0]!), { signal: controller.signal });
        setImmediate(() => controller.abort());
        const err = await rejection(call);
        assert.deepEqual([err.code, err.retryable], ['aborted', false]);
      }));

    it('close() rejects calls in flight and later calls with closed; twice is fine', () =>
      withSim(async (slow) => {
        const client = track(clientFor(slow));
        await getOneUser(client, slow.org.active[0]!);
        slow.faults.latencyMs = 2_000;
        const call = getOneUser(client, slow.org.active[0]!);
        setImmediate(() => client.close());
        assert.equal((await rejection(call)).code, 'closed');
        client.close();
        assert.equal((await rejection(getOneUser(client, slow.org.active[0]!))).code, 'closed');
      }));
  });

  it('counts bulk calls on the list route', async () => {
    const client = track(clientFor(sim));
    await client.call('getUsers', (apis) => apis.users.getUsers({ id: sim.org.active.slice(0, 2), state: 'any', pageSize: 2 }));
    assert.equal(routeCount(sim, BULK_ROUTE), 1);
    assert.deepEqual(sim.stats().bulkIdBatches, [sim.org.active.slice(0, 2)]);
  });
});
