import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tokenFingerprint } from '../../src/admin/auth';
import { FakeDeactivation, fakeUserId } from '../helpers/fakeDeactivation';
import { startAdmin, type AdminHarness } from './support/adminHarness';

const TOKEN = 'audit-test-token-5f3c9a0d2b';
const USER = fakeUserId(1);

describe('admin audit log', () => {
  let admin: AdminHarness;
  before(async () => {
    admin = await startAdmin({ token: TOKEN, deactivation: FakeDeactivation.withActiveUsers(5) });
  });
  after(() => admin.close());

  /** Sends one request and returns the audit records it produced. */
  async function audited(method: string, path: string, init?: Parameters<AdminHarness['request']>[2]) {
    const seen = admin.audits().length;
    await admin.request(method, path, init);
    return admin.audits().slice(seen);
  }

  it('records who (the token fingerprint), what and the outcome of a run, once', async () => {
    const records = await audited('POST', `/v1/users/${USER}/deactivate`, { token: TOKEN, body: '{"dryRun":true,"reason":"Leave"}' });
    assert.equal(records.length, 1);
    const { time, durationMs, runId, ...rest } = records[0];
    assert.equal(typeof time, 'string');
    assert.ok(typeof durationMs === 'number' && durationMs >= 0);
    assert.match(String(runId), /^run-/);
    assert.deepEqual(rest, {
      level: 30,
      name: 'genesys-otel-enricher',
      component: 'audit',
      msg: 'admin request',
      who: tokenFingerprint(TOKEN),
      client: '127.0.0.1',
      method: 'POST',
      route: '/v1/users/{userId}/deactivate',
      userId: USER,
      dryRun: true,
      reason: 'Leave',
      status: 200,
      runStatus: 'planned',
    });
  });

  it('records refused requests as anonymous or invalid, with the error code', async () => {
    const [anon] = await audited('POST', `/v1/users/${USER}/deactivate`);
    assert.equal(anon.who, 'anonymous');
    assert.equal(anon.status, 401);
    assert.equal(anon.code, 'unauthorized');
    assert.equal(anon.userId, undefined, 'nothing about the user before authentication');
    const [wrong] = await audited('GET', `/v1/users/${USER}`, { token: 'guess' });
    assert.equal(wrong.who, 'invalid');
    assert.equal(wrong.route, '/v1/users/{userId}');
  });

  it('records a malformed id without the id, and an unknown route without the path', async () => {
    const [bad] = await audited('GET', '/v1/users/not-an-id', { token: TOKEN });
    assert.equal(bad.status, 400);
    assert.equal(bad.code, 'invalid_user_id');
    assert.equal(bad.userId, undefined);
    assert.doesNotMatch(JSON.stringify(bad), /not-an-id/);
    const [unknown] = await audited('GET', '/admin/secret-path', { token: TOKEN });
    assert.equal(unknown.route, null);
    assert.equal(unknown.status, 404);
    assert.doesNotMatch(JSON.stringify(unknown), /secret-path/);
  });

  it('leaves health probes out of the audit log', async () => {
    assert.deepEqual(await audited('GET', '/healthz'), []);
    assert.deepEqual(await audited('GET', '/readyz'), []);
  });

  it('never writes the token, whatever the request', async () => {
    await admin.request('POST', `/v1/users/${USER}/reactivate`, { token: TOKEN });
    await admin.request('POST', `/v1/users/${USER}/deactivate`, { token: TOKEN, body: `{"reason":"${TOKEN}"}` });
    await admin.request('POST', `/v1/users/${TOKEN}/deactivate`, { token: TOKEN });
    await admin.request('GET', `/v1/${TOKEN}`, { token: TOKEN });
    await admin.request('GET', `/v1/users/${USER}`, { authorization: `Basic ${TOKEN}` });
    await admin.request('GET', `/v1/users/${USER}`, { token: `${TOKEN}x` });
    assert.ok(admin.audits().length >= 6);
    assert.ok(!admin.logText().includes(TOKEN), 'the token appears in the log output');
    assert.ok(!admin.logText().includes(TOKEN.slice(0, 16)), 'part of the token appears in the log output');
  });
});
