import assert from 'node:assert/strict';
import platformClient from 'purecloud-platform-client-v2';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';

/**
 * Shared test helper: a simulator plus an official-SDK client logged in to it
 * through a gateway, with extended responses on (so successes and failures
 * both come back as `{status, headers, body}`).
 */
export interface SdkSession {
  readonly sim: Simulator;
  readonly client: InstanceType<typeof platformClient.ApiClientClass>;
  readonly users: InstanceType<typeof platformClient.UsersApi>;
  readonly routing: InstanceType<typeof platformClient.RoutingApi>;
  readonly presence: InstanceType<typeof platformClient.PresenceApi>;
  readonly authorization: InstanceType<typeof platformClient.AuthorizationApi>;
  readonly tokens: InstanceType<typeof platformClient.TokensApi>;
  /** The bearer token the client logged in with, for raw HTTP checks. */
  readonly accessToken: string;
  close(): Promise<void>;
}

/** What the SDK resolves with, or rejects with after an HTTP answer, when extended responses are on. */
export interface Extended<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
  /** On failure: the AxiosError (its config holds the Authorization header: never log it). */
  error?: unknown;
}

/** The Genesys error body. */
export interface ErrorBody {
  message: string;
  code: string;
  status: number;
  messageParams: Record<string, string>;
  contextId: string;
  details: unknown[];
  errors: unknown[];
}

/** An SDK client pointed at the simulator, not logged in. */
export function sdkClient(sim: Simulator): InstanceType<typeof platformClient.ApiClientClass> {
  const client = new platformClient.ApiClientClass();
  client.config.live_reload_config = false;
  client.setGateway({ host: '127.0.0.1', protocol: 'http', port: sim.port });
  client.setReturnExtendedResponses(true);
  return client;
}

/** Starts a simulator and logs an SDK client in with its credentials. */
export async function openSession(options: SimulatorOptions = {}): Promise<SdkSession> {
  const sim = await startSimulator(options);
  const client = sdkClient(sim);
  const auth = await client.loginClientCredentialsGrant(sim.clientId, sim.clientSecret);
  return {
    accessToken: auth.accessToken,
    sim,
    client,
    users: new platformClient.UsersApi(client),
    routing: new platformClient.RoutingApi(client),
    presence: new platformClient.PresenceApi(client),
    authorization: new platformClient.AuthorizationApi(client),
    tokens: new platformClient.TokensApi(client),
    close: () => sim.close(),
  };
}

/** Awaits an SDK call that must succeed, typed as the extended response it really is. */
export async function ok<T>(call: Promise<T>): Promise<Extended<T>> {
  const response = (await call) as unknown as Extended<T>;
  assert.equal(typeof response.status, 'number', 'expected an extended response');
  return response;
}

/** Awaits an SDK call that must fail with an HTTP answer; returns the extended failure. */
export async function failure(call: Promise<unknown>, status?: number): Promise<Extended<ErrorBody>> {
  let rejection: unknown;
  await call.then(
    (value) => assert.fail(`expected a failure, got ${JSON.stringify((value as Extended<unknown>)?.status)}`),
    (err: unknown) => {
      rejection = err;
    },
  );
  const extended = rejection as Extended<ErrorBody>;
  assert.equal(typeof extended?.status, 'number', 'expected an extended failure');
  if (status !== undefined) assert.equal(extended.status, status, JSON.stringify(extended.body));
  return extended;
}
