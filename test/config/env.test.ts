import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configFromEnv, ConfigError } from '../../src/config';

describe('configuration from environment variables', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const c = configFromEnv({});
    assert.equal(c.genesys.mode, 'embedded-simulator');
    assert.equal(c.genesys.region, 'mypurecloud.com');
    assert.equal(c.receiver.grpcAddress, '0.0.0.0:4317');
    assert.equal(c.receiver.maxRecvMessageBytes, 16 * 1024 * 1024);
    assert.equal(c.export.endpoint, undefined, 'no endpoint selects the debug exporter');
    assert.equal(c.enrichment.sourceAttribute, 'external.user.id');
    assert.equal(c.admin.address, '127.0.0.1:8081');
    assert.ok(c.enrichment.lookupBudgetMs > 0 && c.enrichment.lookupBudgetMs < 1000);
    assert.ok(c.cache.notFoundTtlMs < c.cache.ttlMs);
  });

  it('uses real credentials when both are given', () => {
    const c = configFromEnv({ GENESYS_CLIENT_ID: 'abc', GENESYS_CLIENT_SECRET: 's3cret', GENESYS_REGION: 'mypurecloud.ie' });
    assert.equal(c.genesys.mode, 'credentials');
    assert.equal(c.genesys.region, 'mypurecloud.ie');
  });

  it('normalises URLs and keeps the scheme', () => {
    const c = configFromEnv({ GENESYS_API_URL: 'http://127.0.0.1:9000/', ENRICHER_EXPORT_OTLP_ENDPOINT: 'https://jaeger:4317' });
    assert.equal(c.genesys.apiUrl, 'http://127.0.0.1:9000');
    assert.equal(c.export.endpoint, 'https://jaeger:4317');
  });

  it('is frozen', () => {
    const c = configFromEnv({});
    assert.throws(() => {
      (c.receiver as { grpcAddress: string }).grpcAddress = 'x';
    }, TypeError);
  });

  it('reports every problem at once, naming each variable', () => {
    const err = catchConfigError({
      GENESYS_CLIENT_ID: 'abc',
      ENRICHER_OTLP_GRPC_ADDRESS: 'nonsense',
      ENRICHER_EXPORT_OTLP_ENDPOINT: 'ftp://jaeger:4317',
      ENRICHER_LOOKUP_BUDGET_MS: 'soon',
      ENRICHER_CACHE_MAX_ENTRIES: '0',
      GENESYS_REGION: 'not a region',
    });
    const keys = err.problems.map((p) => p.key).sort();
    assert.deepEqual(keys, [
      'ENRICHER_CACHE_MAX_ENTRIES',
      'ENRICHER_EXPORT_OTLP_ENDPOINT',
      'ENRICHER_LOOKUP_BUDGET_MS',
      'ENRICHER_OTLP_GRPC_ADDRESS',
      'GENESYS_CLIENT_SECRET',
      'GENESYS_REGION',
    ]);
    assert.match(err.message, /ENRICHER_LOOKUP_BUDGET_MS: must be a whole number, got "soon"/);
    assert.match(err.message, /GENESYS_CLIENT_SECRET: is required when GENESYS_CLIENT_ID is set/);
  });

  it('never repeats a secret in its errors', () => {
    const err = catchConfigError({ GENESYS_CLIENT_SECRET: 'hunter2-very-secret', ENRICHER_ADMIN_TOKEN: 'tok-123', ENRICHER_LOG_LEVEL: 'loud' });
    assert.doesNotMatch(err.message, /hunter2|tok-123/);
    assert.deepEqual(err.problems.map((p) => p.key).sort(), ['ENRICHER_LOG_LEVEL', 'GENESYS_CLIENT_ID']);
  });

  it('rejects a retry interval ceiling below its start', () => {
    const err = catchConfigError({ ENRICHER_EXPORT_RETRY_INITIAL_MS: '5000', ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS: '100' });
    assert.deepEqual(err.problems.map((p) => p.key), ['ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS']);
  });
});

function catchConfigError(env: Record<string, string>): ConfigError {
  try {
    configFromEnv(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a ConfigError');
}
