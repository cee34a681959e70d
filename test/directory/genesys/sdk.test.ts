import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSdkClient, type SdkClient } from '../../../src/directory/genesys/sdk';
import type { RunningSimulator } from '../../../src/simulator/types';
import { clientFor, startSim } from '../support/directoryFixtures';

/**
 * The SDK reads ~/.genesyscloudjavascript/config when a client is built. This
 * one tries everything such a file can do to a client: another gateway, SDK
 * logging at trace (which prints request headers) and live reloading.
 */
const HOSTILE_CONFIG = `[logging]
log_level = trace
log_to_console = true
[general]
live_reload_config = true
host = evil.example
[gateway]
host = 127.0.0.1
port = 9
protocol = http
`;

/** Builds with HOME pointing at a directory holding HOSTILE_CONFIG. */
function withHostileHome<T>(build: () => T): T {
  const home = mkdtempSync(join(tmpdir(), 'sdk-home-'));
  mkdirSync(join(home, '.genesyscloudjavascript'));
  writeFileSync(join(home, '.genesyscloudjavascript', 'config'), HOSTILE_CONFIG);
  const saved = process.env.HOME;
  process.env.HOME = home;
  try {
    return build();
  } finally {
    process.env.HOME = saved;
    rmSync(home, { recursive: true, force: true });
  }
}

function sdkTransports(client: SdkClient): number {
  return (client.config.logger as unknown as { logger: { transports: unknown[] } }).logger.transports.length;
}

describe('createSdkClient', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSim();
  });
  after(() => sim.close());

  it('routes API and login to apiUrl whatever the SDK config file says, and stops watching it', () => {
    const url = new URL(sim.url);
    const client = withHostileHome(() => createSdkClient({ region: 'mypurecloud.ie', apiUrl: url, requestTimeoutMs: 1234 }));
    assert.deepEqual(client.config.gateway, {
      host: '127.0.0.1',
      protocol: 'http',
      port: Number(url.port),
      path_params_api: '',
      path_params_login: '',
    });
    assert.equal(client.config.getConfUrl('login', 'https://login.mypurecloud.ie'), sim.url);
    assert.equal(client.config.getConfUrl('api', 'https://api.mypurecloud.ie'), sim.url);
    assert.equal(client.config.live_reload_config, false);
    assert.equal(client.config.configPath, '');
    assert.equal(client.config.logger.log_level, 'none');
    assert.equal(sdkTransports(client), 0, 'SDK logger would print headers');
    assert.equal(client.getHttpClient().timeout, 1234);
  });

  it('uses the region, not a host or gateway from the config file, when there is no apiUrl', () => {
    const client = withHostileHome(() => createSdkClient({ region: 'mypurecloud.ie', requestTimeoutMs: 1000 }));
    assert.equal(client.config.gateway, undefined);
    assert.equal(client.config.basePath, 'https://api.mypurecloud.ie');
    assert.equal(client.config.authUrl, 'https://login.mypurecloud.ie');
  });

  it('keeps a path in apiUrl as a prefix for both API and login', () => {
    const client = createSdkClient({ region: 'mypurecloud.com', apiUrl: new URL('https://proxy.example/genesys/'), requestTimeoutMs: 1000 });
    assert.equal(client.config.getConfUrl('login', 'x'), 'https://proxy.example/genesys');
    assert.equal(client.config.getConfUrl('api', 'x'), 'https://proxy.example/genesys');
  });

  it('gives a GenesysClient built under that config file a working connection to apiUrl', async () => {
    const client = withHostileHome(() => clientFor(sim));
    try {
      const user = await client.call('getUser', (apis) => apis.users.getUser(sim.org.active[0]!));
      assert.equal(user.id, sim.org.active[0]);
    } finally {
      client.close();
    }
  });
});
