import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { failure, ok, openSession, type SdkSession } from './sdk-session';

describe('simulator fault switches', () => {
  let s: SdkSession;
  beforeEach(async () => {
    s = await openSession();
  });
  afterEach(() => s.close());

  it('answers the next N API requests 429 with Retry-After and too.many.requests.retry.after, then recovers', async () => {
    s.sim.faults.rateLimitBurst = { count: 2, retryAfterSeconds: 3 };
    for (let i = 0; i < 2; i++) {
      const limited = await failure(s.users.getUser(s.sim.org.active[0]), 429);
      assert.equal(limited.headers['retry-after'], '3');
      assert.equal(limited.body.code, 'too.many.requests.retry.after');
    }
    assert.equal((await ok(s.users.getUser(s.sim.org.active[0]))).status, 200);
    assert.equal(s.sim.faults.rateLimitBurst?.count, 0);
  });

  it('answers every Nth API request 429 with the chosen Retry-After for as long as rateLimitEvery is set (PUT /__sim/faults too)', async () => {
    const response = await fetch(`${s.sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ rateLimitEvery: { every: 3, retryAfterSeconds: 42 } }) });
    assert.equal(response.status, 200);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const answer = await s.users.getUser(s.sim.org.active[0]).then(
        () => 200,
        (err: { status?: number; headers?: Record<string, string> }) => (assert.equal(err.headers?.['retry-after'], '42'), err.status ?? 0),
      );
      statuses.push(answer);
    }
    assert.deepEqual(statuses, [200, 200, 429, 200, 200, 429, 200]);
    const bad = await fetch(`${s.sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ rateLimitEvery: { every: 0, retryAfterSeconds: 1 } }) });
    assert.equal(bad.status, 400);
  });

  it('does not spend the burst on OAuth', async () => {
    s.sim.faults.rateLimitBurst = { count: 1, retryAfterSeconds: 1 };
    await s.client.loginClientCredentialsGrant(s.sim.clientId, s.sim.clientSecret);
    await failure(s.users.getUser(s.sim.org.active[0]), 429);
  });

  it('answers every request 503 service.unavailable during an outage, OAuth included', async () => {
    s.sim.faults.outage = true;
    const down = await failure(s.users.getUser(s.sim.org.active[0]), 503);
    assert.equal(down.body.code, 'service.unavailable');
    const login = await s.client.loginClientCredentialsGrant(s.sim.clientId, s.sim.clientSecret).then(
      () => undefined,
      (err: { response?: { status: number } }) => err.response?.status,
    );
    assert.equal(login, 503);
    s.sim.faults.outage = false;
    assert.equal((await ok(s.users.getUser(s.sim.org.active[0]))).status, 200);
  });

  it('drops connections in outage mode "reset": the SDK rejects with a network error, not an HTTP answer', async () => {
    s.sim.faults.outage = true;
    s.sim.faults.outageMode = 'reset';
    const error = await s.users.getUser(s.sim.org.active[0]).then(
      () => assert.fail('expected a network error'),
      (err: { isAxiosError?: boolean; response?: unknown; status?: unknown; code?: string }) => err,
    );
    assert.equal(error.isAxiosError, true);
    assert.equal(error.response, undefined);
    assert.equal(error.code, 'ECONNRESET');
  });

  it('adds latency to every API request', async () => {
    s.sim.faults.latencyMs = 150;
    const started = performance.now();
    await ok(s.users.getUser(s.sim.org.active[0]));
    assert.ok(performance.now() - started >= 140);
  });

  it('forces the next N state changes to 409 whatever the version', async () => {
    s.sim.faults.versionConflicts = 1;
    const id = s.sim.org.active[2];
    const { version } = s.sim.getUser(id)!;
    const conflict = await failure(s.users.patchUser(id, { state: 'inactive', version }), 409);
    assert.match(conflict.body.message, /does not match the current version/);
    assert.equal(s.sim.getUser(id)?.state, 'active');
    assert.equal((await ok(s.users.patchUser(id, { state: 'inactive', version }))).body.state, 'inactive');
  });

  it('spends forced conflicts on PUT .../state too, but not on edits that leave the state alone', async () => {
    s.sim.faults.versionConflicts = 1;
    const id = s.sim.org.active[3];
    const edited = await ok(s.users.patchUser(id, { title: 'Agent', version: s.sim.getUser(id)!.version }));
    assert.equal(edited.status, 200);
    await failure(s.users.putUserState(id, { state: 'inactive' }), 409);
    assert.equal((await ok(s.users.putUserState(id, { state: 'inactive' }))).body.state, 'inactive');
  });

  it('switches faults over HTTP with PUT /__sim/faults, replacing all of them, and reads them back', async () => {
    const put = (body: unknown) =>
      fetch(`${s.sim.url}/__sim/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    s.sim.faults.latencyMs = 5;
    assert.equal((await put({ rateLimitBurst: { count: 1, retryAfterSeconds: 7 } })).status, 200);
    assert.deepEqual(await (await fetch(`${s.sim.url}/__sim/faults`)).json(), { rateLimitBurst: { count: 1, retryAfterSeconds: 7 } });
    assert.equal(s.sim.faults.latencyMs, undefined);
    assert.equal((await failure(s.users.getUser(s.sim.org.active[0]), 429)).headers['retry-after'], '7');
  });

  it('rejects a bad fault body with 400 naming each problem, and keeps the switches', async () => {
    s.sim.faults.versionConflicts = 2;
    const response = await fetch(`${s.sim.url}/__sim/faults`, {
      method: 'PUT',
      body: JSON.stringify({ latencyMs: -1, outageMode: 'explode', typo: true }),
    });
    assert.equal(response.status, 400);
    const { message } = (await response.json()) as { message: string };
    for (const word of ['latencyMs', 'outageMode', 'typo']) assert.match(message, new RegExp(word));
    assert.equal(s.sim.faults.versionConflicts, 2);
  });
});

describe('simulator steady rate limit (rateLimitPerMinute)', () => {
  let s: SdkSession;
  beforeEach(async () => {
    s = await openSession({ rateLimitPerMinute: 3 });
  });
  afterEach(() => s.close());

  it('answers 429 with Retry-After once a token made its requests for the minute', async () => {
    for (let i = 0; i < 3; i++) await ok(s.users.getUser(s.sim.org.active[0]));
    const limited = await failure(s.users.getUser(s.sim.org.active[0]), 429);
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  });

  it('counts per token: a fresh token has its own budget', async () => {
    for (let i = 0; i < 3; i++) await ok(s.users.getUser(s.sim.org.active[0]));
    await failure(s.users.getUser(s.sim.org.active[0]), 429);
    await s.client.loginClientCredentialsGrant(s.sim.clientId, s.sim.clientSecret);
    assert.equal((await ok(s.users.getUser(s.sim.org.active[0]))).status, 200);
  });
});
