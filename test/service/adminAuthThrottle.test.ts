/**
 * Guessing the admin token, through the whole service (issue 16 finding 8:
 * 5,000 wrong tokens in 1.5 s were all answered 401, and the audit record did
 * not say from where).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { recordingLogger } from '../exporter/queue/fakes';
import { type Harness, startHarness } from '../helpers/enricherHarness';

const TOKEN = 'throttle-test-admin-token-0123456789abcdef';
const USER = '00000000-0000-4000-8000-000000000001';

interface Answer {
  status: number;
  retryAfter?: string;
  code?: string;
}

describe('failed admin authentications, through the whole service', () => {
  let h: Harness;
  let records: Array<Record<string, unknown>>;

  before(async () => {
    const recording = recordingLogger();
    records = recording.records;
    h = await startHarness({ env: { ENRICHER_ADMIN_TOKEN: TOKEN }, logger: recording.logger });
  });
  after(() => h?.close());

  /** GET /v1/users/{id} with `token`, from `from` (a loopback address). */
  function identity(token: string, from: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: h.service.adminPort, path: `/v1/users/${USER}`, localAddress: from, headers: { authorization: `Bearer ${token}` }, agent: false },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], code: text ? (JSON.parse(text) as { code?: string }).code : undefined }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('answers 429 with Retry-After once an address has failed 10 times, before looking at the token; other addresses are unaffected', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 50; i++) answers.push(await identity(`guess-${i}`, '127.0.0.2'));
    assert.deepEqual(answers.slice(0, 10).map((a) => a.status), Array(10).fill(401), 'the first 10 guesses are answered');
    assert.deepEqual(answers.slice(10).map((a) => a.status), Array(40).fill(429), 'then none is');
    const limited = answers[10];
    assert.equal(limited.code, 'too_many_auth_failures');
    assert.ok(Number(limited.retryAfter) >= 1 && Number(limited.retryAfter) <= 6, `Retry-After ${limited.retryAfter} s`);

    assert.equal((await identity(TOKEN, '127.0.0.2')).status, 429, 'not even the right token gets through while throttled');
    const other = await identity(TOKEN, '127.0.0.3');
    assert.notEqual(other.status, 401);
    assert.notEqual(other.status, 429, 'another address is not throttled');
  });

  it('names the client address in every audit record', () => {
    const audits = records.filter((r) => r.component === 'audit');
    assert.equal(audits.length, 52);
    assert.deepEqual(new Set(audits.slice(0, 51).map((a) => a.client)), new Set(['127.0.0.2']));
    assert.equal(audits[51].client, '127.0.0.3');
    assert.deepEqual(audits.slice(10, 11).map((a) => [a.status, a.code]), [[429, 'too_many_auth_failures']]);
    assert.doesNotMatch(JSON.stringify(records), new RegExp(TOKEN), 'the token is never logged');
  });
});
