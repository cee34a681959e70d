import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { startSimulator, type Simulator } from '../../src/simulator';
import { failure, ok, sdkClient } from './sdk-session';

describe('simulator OAuth (client credentials through an SDK gateway)', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ tokenLifetimeSeconds: 600 });
  });
  after(() => sim.close());

  it('issues a bearer token to the SDK at /oauth/token on the gateway, with the configured lifetime', async () => {
    const client = sdkClient(sim);
    const before = Date.now();
    const auth = await client.loginClientCredentialsGrant(sim.clientId, sim.clientSecret);
    assert.ok(auth.accessToken && auth.accessToken.length >= 32);
    assert.ok(auth.tokenExpiryTime >= before + 600_000 && auth.tokenExpiryTime <= Date.now() + 600_000);
    assert.equal(sim.stats().byRoute['POST /oauth/token'] >= 1, true);
    const me = await ok(new platformClient.UsersApi(client).getUser(sim.org.active[0]));
    assert.equal(me.status, 200);
  });

  it('answers the token request in the OAuth shape: access_token, token_type bearer, expires_in', async () => {
    const response = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 600);
  });

  it('rejects a wrong secret with 401 invalid_client, and never echoes what was sent', async () => {
    const client = sdkClient(sim);
    const wrong = 'not-the-secret-' + 'x'.repeat(12);
    // Login failures reject with the raw AxiosError, even with extended responses on.
    const error = await client.loginClientCredentialsGrant(sim.clientId, wrong).then(
      () => assert.fail('login should fail'),
      (err: { response?: { status: number; data: unknown } }) => err,
    );
    assert.equal(error.response?.status, 401);
    assert.equal((error.response?.data as { error: string }).error, 'invalid_client');
    const text = JSON.stringify(error.response?.data);
    assert.ok(!text.includes(wrong) && !text.includes(sim.clientSecret) && !text.includes(sim.clientId));
  });

  it('accepts credentials as form fields too, and refuses other grant types', async () => {
    const post = (body: string) =>
      fetch(`${sim.url}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret });
    assert.equal((await post(form.toString())).status, 200);
    const refused = await post('grant_type=password&username=a&password=b');
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: string }).error, 'unsupported_grant_type');
  });

  it('answers API calls without a valid bearer token with 401 bad.credentials', async () => {
    const client = sdkClient(sim);
    client.setAccessToken('made-up-token');
    const denied = await failure(new platformClient.UsersApi(client).getUser(sim.org.active[0]), 401);
    assert.equal(denied.body.code, 'bad.credentials');
    const anonymous = await fetch(`${sim.url}/api/v2/users/${sim.org.active[0]}`);
    assert.equal(anonymous.status, 401);
  });

  it('answers 401 credentials.expired once tokens expire, until the client logs in again', async () => {
    const client = sdkClient(sim);
    await client.loginClientCredentialsGrant(sim.clientId, sim.clientSecret);
    const users = new platformClient.UsersApi(client);
    sim.expireAllTokens();
    const expired = await failure(users.getUser(sim.org.active[0]), 401);
    assert.equal(expired.body.code, 'credentials.expired');
    await client.loginClientCredentialsGrant(sim.clientId, sim.clientSecret);
    assert.equal((await ok(users.getUser(sim.org.active[0]))).status, 200);
  });

  it('expires tokens through POST /__sim/expire-tokens as well', async () => {
    const client = sdkClient(sim);
    await client.loginClientCredentialsGrant(sim.clientId, sim.clientSecret);
    assert.equal((await fetch(`${sim.url}/__sim/expire-tokens`, { method: 'POST' })).status, 204);
    const expired = await failure(new platformClient.UsersApi(client).getUser(sim.org.active[0]), 401);
    assert.equal(expired.body.code, 'credentials.expired');
  });

  it('stamps every error body with a contextId equal to the ININ-Correlation-Id header', async () => {
    const client = sdkClient(sim);
    client.setAccessToken('made-up-token');
    const denied = await failure(new platformClient.UsersApi(client).getUser(sim.org.active[0]), 401);
    assert.deepEqual(Object.keys(denied.body).sort(), ['code', 'contextId', 'details', 'errors', 'message', 'messageParams', 'status']);
    assert.equal(denied.body.contextId, denied.headers['inin-correlation-id']);
    assert.equal(denied.body.status, 401);
  });
});
