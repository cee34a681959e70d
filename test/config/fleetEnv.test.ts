import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configFromEnv, ConfigError } from '../../src/config';
import { loadConfig } from '../../src/config/load';
import { renderConfig } from '../../src/config/filePrint';

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    configFromEnv(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  assert.fail('expected a ConfigError');
}

describe('fleet configuration (ENRICHER_REDIS_*)', () => {
  it('is off by default: no Redis, every process on its own', () => {
    const c = configFromEnv({});
    assert.equal(c.fleet.redisUrl, undefined);
    assert.equal(c.fleet.redisWaitMs, 250);
    assert.equal(c.fleet.keyPrefix, 'genesys-enricher:');
    assert.equal(c.fleet.lockWaitMs, 2000);
    assert.equal(c.fleet.fleetMaxRequestsPerMinute, 0);
  });

  it('takes redis:// and rediss:// URLs with user, password and database', () => {
    for (const url of ['redis://redis:6379', 'redis://app:pw@redis:6379/2', 'rediss://:pw@cache.example.com:6380', 'redis://[::1]:6379/0']) {
      assert.equal(configFromEnv({ ENRICHER_REDIS_URL: url }).fleet.redisUrl, url);
    }
  });

  it('refuses other URLs with a message naming the variable, never quoting the password', () => {
    const cases: Array<[string, RegExp]> = [
      ['http://u:hunter2-secret@redis:6379', /must start with redis:\/\/ or rediss:\/\//],
      ['redis://u:hunter2-secret@redis:6379/cache', /may end only in a database number/],
      ['redis://u:hunter2-secret@redis:6379/?db=1', /must not have a query/],
      ['hunter2-secret', /is not a valid URL/],
    ];
    for (const [url, message] of cases) {
      const err = problemsOf({ ENRICHER_REDIS_URL: url });
      assert.deepEqual(err.problems.map((p) => p.key), ['ENRICHER_REDIS_URL']);
      assert.match(err.message, message);
      assert.doesNotMatch(err.message, /hunter2/);
    }
  });

  it('checks the numbers and the key prefix', () => {
    const err = problemsOf({ ENRICHER_REDIS_WAIT_MS: '0', ENRICHER_REDIS_KEY_PREFIX: 'has space', ENRICHER_REDIS_LOCK_WAIT_MS: 'soon', ENRICHER_FLEET_GENESYS_MAX_RPM: '-1' });
    assert.deepEqual(err.problems.map((p) => p.key).sort(), ['ENRICHER_FLEET_GENESYS_MAX_RPM', 'ENRICHER_REDIS_KEY_PREFIX', 'ENRICHER_REDIS_LOCK_WAIT_MS', 'ENRICHER_REDIS_WAIT_MS']);
  });

  it('prints the URL redacted in `config` output', () => {
    const loaded = loadConfig({ env: { ENRICHER_REDIS_URL: 'redis://app:hunter2-secret@redis:6379' } });
    for (const format of ['yaml', 'json'] as const) {
      const text = renderConfig(loaded, format);
      assert.doesNotMatch(text, /hunter2/);
      assert.match(text, /\$\{env:ENRICHER_REDIS_URL\}/, 'a reference to the variable, as every secret');
    }
  });
});
