import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { DeactivationError } from '../../src/deactivation/types';
import { HealthRegistry } from '../../src/admin/health';
import { FakeDeactivation, fakeUserId } from '../helpers/fakeDeactivation';
import { startAdmin, type AdminHarness } from './support/adminHarness';

const TOKEN = 'admin-token-0123456789abcdef';
const ALICE = fakeUserId(1);
const BOB = fakeUserId(2);
const UNKNOWN = fakeUserId(999);

describe('admin API: soft-deactivation routes', () => {
  let fake: FakeDeactivation;
  let admin: AdminHarness;
  before(async () => {
    fake = FakeDeactivation.withActiveUsers(20);
    const health = new HealthRegistry();
    health.add({ name: 'receiver', ready: () => true });
    admin = await startAdmin({ token: TOKEN, deactivation: fake, health });
  });
  after(() => admin.close());

  describe('health', () => {
    it('answers /healthz and /readyz without a token', async () => {
      assert.deepEqual((await admin.request('GET', '/healthz')).body, { status: 'ok' });
      const ready = await admin.request('GET', '/readyz');
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, { status: 'ready', checks: { receiver: true } });
    });
  });

  describe('authentication', () => {
    it('refuses a request without a token with 401 and a Bearer challenge, before reaching the use case', async () => {
      const before = fake.calls.length;
      const res = await admin.request('POST', `/v1/users/${ALICE}/deactivate`);
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'unauthorized');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
      assert.equal(fake.calls.length, before);
    });

    it('refuses a wrong token, a token of another length and another scheme with 401', async () => {
      for (const authorization of [`Bearer ${TOKEN.slice(0, -1)}x`, `Bearer ${TOKEN}extra`, `Basic ${TOKEN}`, TOKEN]) {
        const res = await admin.request('POST', `/v1/users/${ALICE}/deactivate`, { authorization });
        assert.equal(res.status, 401, authorization);
        assert.equal(res.body.code, 'unauthorized');
      }
      assert.equal(fake.user(ALICE)?.state, 'active');
    });

    it('needs the token for the identity read too: it reveals personal data', async () => {
      assert.equal((await admin.request('GET', `/v1/users/${ALICE}`)).status, 401);
      assert.equal((await admin.request('GET', `/v1/users/${ALICE}`, { token: TOKEN })).status, 200);
    });

    it('accepts the scheme in any letter case', async () => {
      const res = await admin.request('GET', `/v1/users/${ALICE}`, { authorization: `bearer ${TOKEN}` });
      assert.equal(res.status, 200);
    });
  });

  describe('user ids', () => {
    it('answers 400 invalid_user_id for anything but a UUID, and never calls the use case', async () => {
      const before = fake.calls.length;
      for (const id of ['not-a-user', `${ALICE}0`, `{${ALICE}}`, encodeURIComponent(` ${ALICE}`), '..%2F..%2Fetc']) {
        for (const [method, path] of [['POST', `/v1/users/${id}/deactivate`], ['POST', `/v1/users/${id}/reactivate`], ['GET', `/v1/users/${id}`]]) {
          const res = await admin.request(method, path, { token: TOKEN });
          assert.equal(res.status, 400, `${method} ${path}`);
          assert.equal(res.body.code, 'invalid_user_id');
        }
      }
      assert.equal(fake.calls.length, before);
    });

    it('accepts an upper-case id and hands the use case its canonical lower-case form', async () => {
      const id = fakeUserId(0xabc);
      const res = await admin.request('GET', `/v1/users/${id.toUpperCase()}`, { token: TOKEN });
      assert.equal(res.status, 404);
      assert.equal(fake.calls.at(-1)?.userId, id);
    });
  });

  describe('POST /v1/users/{userId}/deactivate', () => {
    it('deactivates and answers 200 with the run report; the actor is the token fingerprint, never the token', async () => {
      const res = await admin.request('POST', `/v1/users/${BOB}/deactivate`, { token: TOKEN, body: '{"reason":"Voluntary"}' });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'completed');
      assert.equal(res.body.userId, BOB);
      assert.equal(res.body.reason, 'Voluntary');
      assert.match(String(res.body.actor), /^admin:[0-9a-f]{12}$/);
      assert.equal(fake.user(BOB)?.state, 'inactive');
    });

    it('answers 200 and changes nothing on a second call', async () => {
      const id = fakeUserId(3);
      await admin.request('POST', `/v1/users/${id}/deactivate`, { token: TOKEN });
      const second = await admin.request('POST', `/v1/users/${id}/deactivate`, { token: TOKEN });
      assert.equal(second.status, 200);
      assert.equal(second.body.status, 'unchanged');
    });

    it('passes a dry run through: the plan comes back and nothing changes', async () => {
      const id = fakeUserId(4);
      const res = await admin.request('POST', `/v1/users/${id}/deactivate`, { token: TOKEN, body: '{"dryRun": true}' });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'planned');
      assert.equal(res.body.dryRun, true);
      assert.equal(fake.calls.at(-1)?.options?.dryRun, true);
      assert.equal(fake.user(id)?.state, 'active');
    });

    it('treats an empty body as no options', async () => {
      const id = fakeUserId(5);
      const res = await admin.request('POST', `/v1/users/${id}/deactivate`, { token: TOKEN, body: '' });
      assert.equal(res.status, 200);
      assert.equal(fake.calls.at(-1)?.options?.dryRun, false);
    });
  });

  describe('request bodies', () => {
    const bad: [string, RegExp][] = [
      ['{"dryRun": tru', /not valid JSON/],
      ['[true]', /must be a JSON object/],
      ['null', /must be a JSON object/],
      ['{"dry_run": true}', /unknown field "dry_run"/],
      ['{"dryRun": "yes"}', /"dryRun" must be true or false/],
      ['{"reason": "Fired"}', /"reason" must be one of Voluntary, Seasonal/],
    ];
    for (const [body, message] of bad) {
      it(`answers 400 invalid_body to ${body} and calls nothing`, async () => {
        const before = fake.calls.length;
        const res = await admin.request('POST', `/v1/users/${fakeUserId(6)}/deactivate`, { token: TOKEN, body });
        assert.equal(res.status, 400);
        assert.equal(res.body.code, 'invalid_body');
        assert.match(String(res.body.message), message);
        assert.equal(fake.calls.length, before);
      });
    }

    it('refuses a reason on reactivate: it records none', async () => {
      const res = await admin.request('POST', `/v1/users/${fakeUserId(6)}/reactivate`, { token: TOKEN, body: '{"reason":"Voluntary"}' });
      assert.equal(res.status, 400);
      assert.match(String(res.body.message), /unknown field "reason"; allowed: dryRun/);
    });

    it('answers 413 to a body over 16 KiB', async () => {
      const body = JSON.stringify({ dryRun: true, pad: 'x'.repeat(17 * 1024) });
      const res = await admin.request('POST', `/v1/users/${fakeUserId(6)}/deactivate`, { token: TOKEN, body });
      assert.equal(res.status, 413);
      assert.equal(res.body.code, 'body_too_large');
    });

    it('answers 413 to a streamed body once it passes 16 KiB, and closes the connection', async () => {
      const { status, connection } = await new Promise<{ status?: number; connection?: string }>((resolve, reject) => {
        const req = http.request(`${admin.url}/v1/users/${fakeUserId(6)}/deactivate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        });
        req.on('response', (res) => {
          res.resume();
          resolve({ status: res.statusCode, connection: res.headers.connection });
        });
        req.on('error', reject);
        for (let i = 0; i < 5; i++) req.write(' '.repeat(4096));
        req.end();
      });
      assert.equal(status, 413);
      assert.equal(connection, 'close');
    });

    it('answers 415 to a body that is not JSON', async () => {
      const res = await admin.request('POST', `/v1/users/${fakeUserId(6)}/deactivate`, {
        token: TOKEN,
        body: 'dryRun=true',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.status, 415);
      assert.equal(res.body.code, 'unsupported_media_type');
    });
  });

  describe('use case errors, mapped by the catalogue', () => {
    it('answers 404 user_not_found for an unknown user', async () => {
      const res = await admin.request('POST', `/v1/users/${UNKNOWN}/deactivate`, { token: TOKEN });
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'user_not_found');
    });

    it('answers 409 run_in_progress while another run for the same user is in progress', async () => {
      const id = fakeUserId(7);
      const hold = fake.hold(id);
      const first = admin.request('POST', `/v1/users/${id}/deactivate`, { token: TOKEN });
      await hold.reached;
      const second = await admin.request('POST', `/v1/users/${id}/deactivate`, { token: TOKEN });
      assert.equal(second.status, 409);
      assert.equal(second.body.code, 'run_in_progress');
      hold.release();
      assert.equal((await first).status, 200);
    });

    it('answers 409 no_snapshot to reactivating a user never deactivated', async () => {
      const res = await admin.request('POST', `/v1/users/${fakeUserId(8)}/reactivate`, { token: TOKEN });
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'no_snapshot');
    });

    it('answers 503 genesys_unavailable when Genesys failed, keeping the use case message', async () => {
      const id = fakeUserId(9);
      fake.script(id, new DeactivationError('genesys_unavailable', 'Genesys answered 503 three times'));
      const res = await admin.request('POST', `/v1/users/${id}/deactivate`, { token: TOKEN });
      assert.equal(res.status, 503);
      assert.deepEqual(res.body, { code: 'genesys_unavailable', message: 'Genesys answered 503 three times' });
    });

    it('answers 502 run_failed with the report when a step failed', async () => {
      const id = fakeUserId(10);
      fake.script(id, 'failed_report');
      const res = await admin.request('POST', `/v1/users/${id}/deactivate`, { token: TOKEN });
      assert.equal(res.status, 502);
      assert.equal(res.body.code, 'run_failed');
      assert.match(String(res.body.message), /step "routing_status" failed: Genesys answered 503; calling again resumes/);
      assert.equal((res.body.report as { status: string }).status, 'failed');
    });

    it('answers 500 internal_error to anything unexpected, without echoing its message', async () => {
      const id = fakeUserId(11);
      const original = fake.deactivate;
      fake.deactivate = async () => {
        throw new Error('secret internals at /srv/x');
      };
      try {
        const res = await admin.request('POST', `/v1/users/${id}/deactivate`, { token: TOKEN });
        assert.equal(res.status, 500);
        assert.deepEqual(res.body, { code: 'internal_error', message: 'internal error' });
      } finally {
        fake.deactivate = original;
      }
    });
  });

  describe('POST /v1/users/{userId}/reactivate', () => {
    it('restores a deactivated user', async () => {
      const id = fakeUserId(12);
      await admin.request('POST', `/v1/users/${id}/deactivate`, { token: TOKEN });
      const res = await admin.request('POST', `/v1/users/${id}/reactivate`, { token: TOKEN, body: '{}' });
      assert.equal(res.status, 200);
      assert.equal(res.body.action, 'reactivate');
      assert.equal(fake.user(id)?.state, 'active');
    });
  });

  describe('GET /v1/users/{userId}', () => {
    it('answers the identity as the enricher resolves it', async () => {
      const res = await admin.request('GET', `/v1/users/${ALICE}`, { token: TOKEN });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { userId: ALICE, status: 'found', user: { id: ALICE, name: 'Agent 1', state: 'active' } });
    });

    it('answers 404 for an unknown user and 503 when the look-up failed', async () => {
      assert.equal((await admin.request('GET', `/v1/users/${UNKNOWN}`, { token: TOKEN })).body.code, 'user_not_found');
      const id = fakeUserId(13);
      fake.script(id, { identity: { status: 'failed', reason: 'timeout' } });
      const res = await admin.request('GET', `/v1/users/${id}`, { token: TOKEN });
      assert.equal(res.status, 503);
      assert.equal(res.body.code, 'genesys_unavailable');
    });
  });

  describe('routes and methods', () => {
    it('answers 405 with Allow to a wrong method, and 404 to an unknown route', async () => {
      const wrong = await admin.request('GET', `/v1/users/${ALICE}/deactivate`, { token: TOKEN });
      assert.equal(wrong.status, 405);
      assert.equal(wrong.body.code, 'method_not_allowed');
      assert.equal(wrong.headers.get('allow'), 'POST');
      assert.equal((await admin.request('DELETE', `/v1/users/${ALICE}`, { token: TOKEN })).headers.get('allow'), 'GET');
      for (const path of [`/v1/users/${ALICE}/delete`, '/v1/users/', '/v2/users', `/v1/users/${ALICE}/deactivate/now`]) {
        const res = await admin.request('POST', path, { token: TOKEN });
        assert.equal(res.status, 404, path);
        assert.equal(res.body.code, 'not_found');
      }
    });
  });
});

describe('admin API token comparison', () => {
  it('goes through the constant-time comparison of two SHA-256 digests for right and wrong tokens alike', async () => {
    const compared: number[][] = [];
    const compare = (a: Buffer, b: Buffer) => {
      compared.push([a.length, b.length]);
      return timingSafeEqual(a, b);
    };
    const admin = await startAdmin({ token: TOKEN, deactivation: FakeDeactivation.withActiveUsers(1), compare });
    try {
      assert.equal((await admin.request('GET', `/v1/users/${ALICE}`, { token: TOKEN })).status, 200);
      assert.equal((await admin.request('GET', `/v1/users/${ALICE}`, { token: 'short' })).status, 401);
      assert.equal((await admin.request('GET', `/v1/users/${ALICE}`, { token: 'x'.repeat(500) })).status, 401);
      assert.deepEqual(compared, [[32, 32], [32, 32], [32, 32]]);
    } finally {
      await admin.close();
    }
  });
});

describe('admin API without ENRICHER_ADMIN_TOKEN', () => {
  it('refuses every /v1 route with 403 admin_disabled, while health still answers', async () => {
    const fake = FakeDeactivation.withActiveUsers(1);
    const admin = await startAdmin({ deactivation: fake });
    try {
      for (const [method, path] of [['POST', `/v1/users/${ALICE}/deactivate`], ['POST', `/v1/users/${ALICE}/reactivate`], ['GET', `/v1/users/${ALICE}`]]) {
        const res = await admin.request(method, path, { token: 'anything' });
        assert.equal(res.status, 403);
        assert.equal(res.body.code, 'admin_disabled');
        assert.match(String(res.body.message), /ENRICHER_ADMIN_TOKEN/);
      }
      assert.equal(fake.calls.length, 0);
      assert.equal((await admin.request('GET', '/healthz')).status, 200);
    } finally {
      await admin.close();
    }
  });
});

describe('admin API without the deactivation module wired', () => {
  it('answers 503 deactivation_unavailable once authenticated', async () => {
    const admin = await startAdmin({ token: TOKEN });
    try {
      const res = await admin.request('POST', `/v1/users/${ALICE}/deactivate`, { token: TOKEN });
      assert.equal(res.status, 503);
      assert.equal(res.body.code, 'deactivation_unavailable');
    } finally {
      await admin.close();
    }
  });
});
