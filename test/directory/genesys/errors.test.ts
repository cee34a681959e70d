import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { GenesysError, parseRetryAfter, scrubSecrets, toGenesysError } from '../../../src/directory/genesys/errors';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.very-secret-token';

/** Everything a person or a log pipeline could see of an error. */
function visible(err: GenesysError): string {
  return [err.message, err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 5 })].join('\n');
}

/** What axios 1.x rejects with when a response came back; note the Authorization header. */
function axiosErrorWithResponse(status: number, data: unknown, headers: Record<string, string> = {}): object {
  return {
    isAxiosError: true,
    name: 'AxiosError',
    message: `Request failed with status code ${status}`,
    code: 'ERR_BAD_REQUEST',
    status,
    config: { headers: { Authorization: `Bearer ${TOKEN}` }, url: 'https://api.example/api/v2/users' },
    response: { status, headers, data, config: { headers: { Authorization: `Bearer ${TOKEN}` } } },
  };
}

describe('toGenesysError', () => {
  it('reads an extended response: status, Genesys code, Retry-After and correlation id', () => {
    const err = toGenesysError(
      {
        status: 429,
        statusText: 'Too Many Requests',
        headers: { 'retry-after': '1', 'inin-correlation-id': 'corr-1' },
        body: { code: 'too.many.requests.retry.after', status: 429, message: 'Rate limit exceeded' },
        error: axiosErrorWithResponse(429, {}),
      },
      'getUsers',
    );
    assert.ok(err instanceof GenesysError);
    assert.deepEqual(
      { status: err.status, code: err.code, retryable: err.retryable, retryAfterMs: err.retryAfterMs, correlationId: err.correlationId, operation: err.operation },
      { status: 429, code: 'too.many.requests.retry.after', retryable: true, retryAfterMs: 1000, correlationId: 'corr-1', operation: 'getUsers' },
    );
    assert.doesNotMatch(visible(err), /very-secret-token/);
  });

  it('treats 502, 503 and 504 as retryable, even with an empty body', () => {
    for (const status of [502, 503, 504]) {
      const err = toGenesysError({ status, headers: {}, body: '', text: undefined, error: {} }, 'getUser');
      assert.equal(err.retryable, true, `status ${status}`);
      assert.equal(err.code, `http_${status}`);
    }
  });

  it('never retries 400, 401, 403, 404, 409 or 500', () => {
    for (const status of [400, 401, 403, 404, 409, 500]) {
      const err = toGenesysError({ status, headers: {}, body: { code: 'x', status } }, 'patchUser');
      assert.equal(err.retryable, false, `status ${status}`);
      assert.equal(err.status, status);
    }
  });

  it('reads a parsed Genesys error body, taking the correlation id from contextId', () => {
    const err = toGenesysError({ status: 404, code: 'not.found', message: 'The user could not be found.', contextId: 'ctx-9' }, 'getUser');
    assert.deepEqual([err.status, err.code, err.retryable, err.correlationId], [404, 'not.found', false, 'ctx-9']);
    assert.match(err.message, /^getUser: 404 not\.found: The user could not be found\.$/);
  });

  it('reads a raw AxiosError with a response without keeping its request config or Authorization header', () => {
    const err = toGenesysError(axiosErrorWithResponse(401, { code: 'bad.credentials', message: 'Invalid login credentials.' }), 'oauth.token');
    assert.deepEqual([err.status, err.code, err.retryable], [401, 'bad.credentials', false]);
    assert.equal((err as unknown as { config?: unknown }).config, undefined);
    assert.equal(err.cause, undefined);
    assert.doesNotMatch(visible(err), /very-secret-token|Authorization/);
  });

  it('maps a raw AxiosError without a response to a retryable network or timeout error', () => {
    const refused = toGenesysError({ isAxiosError: true, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', config: { headers: { Authorization: `Bearer ${TOKEN}` } } }, 'getUsers');
    assert.deepEqual([refused.status, refused.code, refused.retryable], [0, 'network', true]);
    assert.match(refused.message, /ECONNREFUSED/);
    assert.doesNotMatch(visible(refused), /very-secret-token/);
    for (const code of ['ECONNABORTED', 'ETIMEDOUT']) {
      const timedOut = toGenesysError({ isAxiosError: true, code, message: 'timeout of 10ms exceeded' }, 'getUsers');
      assert.deepEqual([timedOut.code, timedOut.retryable], ['timeout', true]);
    }
  });

  it('maps the string the SDK throws for a missing argument to a non-retryable client_error', () => {
    const err = toGenesysError('Missing the required parameter "userId" when calling getUser', 'getUser');
    assert.deepEqual([err.status, err.code, err.retryable], [0, 'client_error', false]);
    assert.match(err.message, /Missing the required parameter "userId"/);
  });

  it('reads an OAuth error body ({error, error_description}) from /oauth/token', () => {
    const err = toGenesysError(axiosErrorWithResponse(401, { error: 'invalid_client', error_description: 'client authentication failed' }), 'oauth.token');
    assert.deepEqual([err.status, err.code, err.retryable], [401, 'invalid_client', false]);
    assert.match(err.message, /^oauth\.token: 401 invalid_client: client authentication failed$/);
  });

  it('maps undefined (an empty error body) to a non-retryable unknown error', () => {
    const err = toGenesysError(undefined, 'getUser');
    assert.deepEqual([err.status, err.code, err.retryable], [0, 'unknown', false]);
  });

  it('returns a GenesysError unchanged', () => {
    const original = new GenesysError({ status: 409, code: 'conflict', retryable: false, operation: 'patchUser' });
    assert.equal(toGenesysError(original, 'other'), original);
  });

  it('scrubs the given secrets and any bearer or basic credential from kept messages', () => {
    const err = toGenesysError(
      { status: 400, headers: {}, body: { code: 'bad.request', message: `echo: Bearer ${TOKEN} and s3cr3t-value` } },
      'getUsers',
      ['s3cr3t-value'],
    );
    assert.doesNotMatch(visible(err), /very-secret-token|s3cr3t-value/);
    assert.match(err.message, /\[REDACTED\]/);
  });
});

describe('scrubSecrets', () => {
  it('redacts Authorization values whatever their case', () => {
    assert.equal(scrubSecrets('authorization: basic dXNlcjpwYXNz'), 'authorization: basic [REDACTED]');
    assert.equal(scrubSecrets('BEARER abc.DEF-123'), 'BEARER [REDACTED]');
  });

  it('caps very long text', () => {
    assert.ok(scrubSecrets('x'.repeat(10_000)).length <= 301);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds, fractional seconds and HTTP dates as milliseconds', () => {
    assert.equal(parseRetryAfter('1'), 1000);
    assert.equal(parseRetryAfter('0'), 0);
    assert.equal(parseRetryAfter('0.5'), 500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now), 3000);
  });

  it('ignores absent, negative and unreadable values', () => {
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter(''), undefined);
    assert.equal(parseRetryAfter('-1'), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});
