import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configFromEnv, ConfigError, ENV_VARS } from '../../src/config';
import { certPath } from '../helpers/certs';

describe('configuration from environment variables', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const c = configFromEnv({});
    assert.equal(c.genesys.mode, 'embedded-simulator');
    assert.equal(c.genesys.region, 'mypurecloud.com');
    assert.equal(c.receiver.grpcAddress, '127.0.0.1:4317', 'loopback unless configured, as the Collector');
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

  it('quotes an endpoint without a scheme as typed, and shows it with one', () => {
    const err = catchConfigError({ ENRICHER_EXPORT_OTLP_ENDPOINT: 'jaeger:4317' });
    assert.match(err.message, /ENRICHER_EXPORT_OTLP_ENDPOINT: must start with http:\/\/ or https:\/\/, e\.g\. http:\/\/jaeger:4317, got "jaeger:4317"/);
    assert.doesNotMatch(err.message, /jaeger:\/\//);
  });

  it('never repeats a secret in its errors', () => {
    const err = catchConfigError({ GENESYS_CLIENT_SECRET: 'hunter2-very-secret', ENRICHER_ADMIN_TOKEN: 'tok-123', ENRICHER_LOG_LEVEL: 'loud' });
    assert.doesNotMatch(err.message, /hunter2|tok-123/);
    assert.deepEqual(err.problems.map((p) => p.key).sort(), ['ENRICHER_ADMIN_TOKEN', 'ENRICHER_LOG_LEVEL', 'GENESYS_CLIENT_ID']);
  });

  it('refuses an admin token shorter than 32 characters, naming the key and never the token', () => {
    const err = catchConfigError({ ENRICHER_ADMIN_TOKEN: 'x'.repeat(31) });
    assert.deepEqual(err.problems.map((p) => p.key), ['ENRICHER_ADMIN_TOKEN']);
    assert.match(err.message, /ENRICHER_ADMIN_TOKEN: must be at least 32 characters, got 31/);
    assert.doesNotMatch(err.message, /x{31}/);
    assert.equal(configFromEnv({ ENRICHER_ADMIN_TOKEN: 'x'.repeat(32) }).admin.token, 'x'.repeat(32));
  });

  it('keeps the deactivation journal in ./data and runs under 240 Genesys requests a minute by default', () => {
    const c = configFromEnv({});
    assert.equal(c.deactivation.dataDir, './data');
    assert.equal(c.genesys.maxRequestsPerMinute, 240);
  });

  it('takes the journal directory and request rate from ENRICHER_DATA_DIR and ENRICHER_GENESYS_MAX_RPM', () => {
    const c = configFromEnv({ ENRICHER_DATA_DIR: '/var/lib/enricher', ENRICHER_GENESYS_MAX_RPM: '120' });
    assert.equal(c.deactivation.dataDir, '/var/lib/enricher');
    assert.equal(c.genesys.maxRequestsPerMinute, 120);
    const err = catchConfigError({ ENRICHER_GENESYS_MAX_RPM: '0' });
    assert.deepEqual(err.problems.map((p) => p.key), ['ENRICHER_GENESYS_MAX_RPM']);
  });

  it('takes the offboarding division from ENRICHER_OFFBOARDING_DIVISION_ID: a UUID, in canonical lower case; none by default', () => {
    assert.equal(configFromEnv({}).deactivation.offboardingDivisionId, undefined);
    const c = configFromEnv({ ENRICHER_OFFBOARDING_DIVISION_ID: '6A1F0C52-3D4E-4B8A-9F10-2C3D4E5F6A7B' });
    assert.equal(c.deactivation.offboardingDivisionId, '6a1f0c52-3d4e-4b8a-9f10-2c3d4e5f6a7b');
    const err = catchConfigError({ ENRICHER_OFFBOARDING_DIVISION_ID: 'Offboarded' });
    assert.deepEqual(err.problems.map((p) => [p.key, p.message]), [['ENRICHER_OFFBOARDING_DIVISION_ID', 'must be a Genesys division id (a UUID), got "Offboarded"']]);
  });

  it('keeps the export queue in memory unless ENRICHER_EXPORT_QUEUE_DIR names a directory', () => {
    assert.equal(configFromEnv({}).export.queueDir, undefined);
    assert.equal(configFromEnv({ ENRICHER_EXPORT_QUEUE_DIR: ' /var/lib/enricher/queue ' }).export.queueDir, '/var/lib/enricher/queue');
    const err = catchConfigError({ ENRICHER_EXPORT_QUEUE_DIR: 'bad\0dir' });
    assert.deepEqual(err.problems.map((p) => p.key), ['ENRICHER_EXPORT_QUEUE_DIR']);
  });

  it('rejects a retry interval ceiling below its start', () => {
    const err = catchConfigError({ ENRICHER_EXPORT_RETRY_INITIAL_MS: '5000', ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS: '100' });
    assert.deepEqual(err.problems.map((p) => p.key), ['ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS']);
  });
});

describe('configuration of OTLP/HTTP, TLS and authentication', () => {
  it('listens for OTLP/HTTP on 127.0.0.1:4318 with a 16 MiB body limit, no CORS, no TLS, no token; exports with gzip', () => {
    const c = configFromEnv({});
    assert.equal(c.receiver.httpAddress, '127.0.0.1:4318');
    assert.equal(c.receiver.httpMaxBodyBytes, 16 * 1024 * 1024);
    assert.deepEqual(c.receiver.corsAllowedOrigins, []);
    assert.equal(c.receiver.tls, undefined);
    assert.equal(c.receiver.bearerToken, undefined);
    assert.equal(c.export.compression, 'gzip');
    assert.equal(c.export.tlsCaFile, undefined);
    assert.deepEqual(c.export.headers, {});
  });

  it('turns the OTLP/HTTP receiver off with "off"', () => {
    assert.equal(configFromEnv({ ENRICHER_OTLP_HTTP_ADDRESS: 'off' }).receiver.httpAddress, undefined);
    assert.equal(configFromEnv({ ENRICHER_OTLP_HTTP_ADDRESS: '127.0.0.1:14318' }).receiver.httpAddress, '127.0.0.1:14318');
  });

  it('reads every key', () => {
    const c = configFromEnv({
      ENRICHER_OTLP_HTTP_MAX_BODY_MIB: '4',
      ENRICHER_OTLP_HTTP_CORS_ALLOWED_ORIGINS: 'https://App.Example.com/, http://localhost:5173 ,*',
      ENRICHER_TLS_CERT_FILE: certPath('server'),
      ENRICHER_TLS_KEY_FILE: certPath('server', 'key'),
      ENRICHER_TLS_CLIENT_CA_FILE: certPath('ca'),
      ENRICHER_RECEIVER_BEARER_TOKEN: 'tok',
      ENRICHER_EXPORT_OTLP_ENDPOINT: 'https://jaeger:4317',
      ENRICHER_EXPORT_TLS_CA_FILE: certPath('ca'),
      ENRICHER_EXPORT_COMPRESSION: 'none',
      ENRICHER_EXPORT_HEADERS: 'Authorization=Bearer%20abc, x-scope-orgid = tenant-1',
    });
    assert.equal(c.receiver.httpMaxBodyBytes, 4 * 1024 * 1024);
    assert.deepEqual(c.receiver.corsAllowedOrigins, ['https://app.example.com', 'http://localhost:5173', '*']);
    assert.deepEqual({ ...c.receiver.tls }, { certFile: certPath('server'), keyFile: certPath('server', 'key'), clientCaFile: certPath('ca') });
    assert.equal(c.receiver.bearerToken, 'tok');
    assert.equal(c.export.tlsCaFile, certPath('ca'));
    assert.equal(c.export.compression, 'none');
    assert.deepEqual({ ...c.export.headers }, { authorization: 'Bearer abc', 'x-scope-orgid': 'tenant-1' });
  });

  it('checks the TLS files at start-up and names the key of each problem', () => {
    const err = catchConfigError({
      ENRICHER_TLS_CERT_FILE: certPath('server'),
      ENRICHER_TLS_KEY_FILE: certPath('client', 'key'),
      ENRICHER_TLS_CLIENT_CA_FILE: '/nonexistent/ca.pem',
      ENRICHER_EXPORT_OTLP_ENDPOINT: 'https://jaeger:4317',
      ENRICHER_EXPORT_TLS_CA_FILE: certPath('server', 'key'),
    });
    assert.deepEqual(err.problems.map((p) => p.key).sort(), ['ENRICHER_EXPORT_TLS_CA_FILE', 'ENRICHER_TLS_CLIENT_CA_FILE', 'ENRICHER_TLS_KEY_FILE']);
    assert.match(err.message, /ENRICHER_TLS_KEY_FILE: .*client\.key is not the private key of the certificate/);
    assert.match(err.message, /ENRICHER_TLS_CLIENT_CA_FILE: cannot read \/nonexistent\/ca\.pem: ENOENT/);
    assert.doesNotMatch(err.message, /PRIVATE KEY|MIG/, "no key material");
  });

  it('wants the certificate and key together, and a client CA or export CA only where they mean something', () => {
    assert.deepEqual(catchConfigError({ ENRICHER_TLS_CERT_FILE: certPath('server') }).problems.map((p) => p.key), ['ENRICHER_TLS_KEY_FILE']);
    assert.deepEqual(catchConfigError({ ENRICHER_TLS_KEY_FILE: certPath('server', 'key') }).problems.map((p) => p.key), ['ENRICHER_TLS_CERT_FILE']);
    assert.deepEqual(catchConfigError({ ENRICHER_TLS_CLIENT_CA_FILE: certPath('ca') }).problems.map((p) => p.key), ['ENRICHER_TLS_CLIENT_CA_FILE']);
    const plaintext = catchConfigError({ ENRICHER_EXPORT_OTLP_ENDPOINT: 'http://jaeger:4317', ENRICHER_EXPORT_TLS_CA_FILE: certPath('ca') });
    assert.match(plaintext.message, /ENRICHER_EXPORT_TLS_CA_FILE: is set but ENRICHER_EXPORT_OTLP_ENDPOINT is not an https:\/\/ endpoint/);
  });

  it('reports bad addresses, origins, compression and headers together, never echoing a token or header value', () => {
    const err = catchConfigError({
      ENRICHER_OTLP_HTTP_ADDRESS: 'everywhere',
      ENRICHER_OTLP_HTTP_MAX_BODY_MIB: '0',
      ENRICHER_OTLP_HTTP_CORS_ALLOWED_ORIGINS: 'https://ok.example.com,app.example.com/path',
      ENRICHER_RECEIVER_BEARER_TOKEN: 'super secret',
      ENRICHER_EXPORT_COMPRESSION: 'zstd',
      ENRICHER_EXPORT_HEADERS: 'authorization=Bearer\u0007hunter2,novalue,grpc-timeout=1S',
    });
    assert.deepEqual(err.problems.map((p) => p.key).sort(), [
      'ENRICHER_EXPORT_COMPRESSION',
      'ENRICHER_EXPORT_HEADERS',
      'ENRICHER_EXPORT_HEADERS',
      'ENRICHER_EXPORT_HEADERS',
      'ENRICHER_OTLP_HTTP_ADDRESS',
      'ENRICHER_OTLP_HTTP_CORS_ALLOWED_ORIGINS',
      'ENRICHER_OTLP_HTTP_MAX_BODY_MIB',
      'ENRICHER_RECEIVER_BEARER_TOKEN',
    ]);
    assert.match(err.message, /"app\.example\.com\/path"/);
    assert.doesNotMatch(err.message, /super secret|hunter2/);
  });
});

describe('configuration of receiver limits, the memory limiter and the Genesys circuit breaker', () => {
  it('caps 256 concurrent requests with a 30 s deadline, leaves keepalive to grpc-js, sizes memory from the container, breaks after 5 failures for 30 s', () => {
    const c = configFromEnv({});
    assert.equal(c.limits.maxConcurrentRequests, 256);
    assert.equal(c.limits.requestTimeoutMs, 30_000);
    assert.deepEqual({ ...c.limits.connection }, {
      keepaliveTimeMs: undefined,
      keepaliveTimeoutMs: undefined,
      maxConnectionIdleMs: undefined,
      maxConnectionAgeMs: undefined,
      maxConnectionAgeGraceMs: undefined,
    });
    assert.deepEqual({ ...c.limits.memory }, { limitBytes: undefined, spikeBytes: undefined, checkIntervalMs: 1000, rssLimitBytes: undefined });
    assert.deepEqual(
      { ...c.limits.transport },
      { receiveTimeoutMs: 15_000, maxConnections: 4096, idleTimeoutMs: 300_000, maxJsonElements: 500_000 },
      'a body must arrive within 15 s; 4096 connections per receiver, idle ones closed after 5 min',
    );
    assert.deepEqual({ ...c.breaker }, { failures: 5, cooldownMs: 30_000 });
  });

  it('reads every key', () => {
    const c = configFromEnv({
      ENRICHER_OTLP_GRPC_MAX_CONCURRENT_REQUESTS: '0',
      ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS: '5000',
      ENRICHER_OTLP_GRPC_KEEPALIVE_TIME_MS: '60000',
      ENRICHER_OTLP_GRPC_KEEPALIVE_TIMEOUT_MS: '10000',
      ENRICHER_OTLP_GRPC_MAX_CONNECTION_IDLE_MS: '300000',
      ENRICHER_OTLP_GRPC_MAX_CONNECTION_AGE_MS: '600000',
      ENRICHER_OTLP_GRPC_MAX_CONNECTION_AGE_GRACE_MS: '30000',
      ENRICHER_MEMORY_LIMIT_MIB: '512',
      ENRICHER_MEMORY_SPIKE_MIB: '64',
      ENRICHER_MEMORY_CHECK_INTERVAL_MS: '250',
      ENRICHER_GENESYS_BREAKER_FAILURES: '0',
      ENRICHER_GENESYS_BREAKER_COOLDOWN_MS: '5000',
      ENRICHER_MEMORY_RSS_LIMIT_MIB: '900',
      ENRICHER_OTLP_RECEIVE_TIMEOUT_MS: '0',
      ENRICHER_OTLP_MAX_CONNECTIONS: '100',
      ENRICHER_OTLP_IDLE_TIMEOUT_MS: '60000',
      ENRICHER_OTLP_HTTP_JSON_MAX_ELEMENTS: '1000',
    });
    assert.equal(c.limits.maxConcurrentRequests, 0);
    assert.equal(c.limits.requestTimeoutMs, 5000);
    assert.deepEqual({ ...c.limits.connection }, {
      keepaliveTimeMs: 60_000,
      keepaliveTimeoutMs: 10_000,
      maxConnectionIdleMs: 300_000,
      maxConnectionAgeMs: 600_000,
      maxConnectionAgeGraceMs: 30_000,
    });
    assert.deepEqual({ ...c.limits.memory }, { limitBytes: 512 * 2 ** 20, spikeBytes: 64 * 2 ** 20, checkIntervalMs: 250, rssLimitBytes: 900 * 2 ** 20 });
    assert.deepEqual({ ...c.limits.transport }, { receiveTimeoutMs: 0, maxConnections: 100, idleTimeoutMs: 60_000, maxJsonElements: 1000 });
    assert.deepEqual({ ...c.breaker }, { failures: 0, cooldownMs: 5000 });
    assert.equal(configFromEnv({ ENRICHER_MEMORY_LIMIT_MIB: '0' }).limits.memory.limitBytes, 0, '0 turns the limiter off');
  });

  it('wants the request deadline above the look-up budget, the spike below the limit, and reports every bad key', () => {
    const err = catchConfigError({
      ENRICHER_LOOKUP_BUDGET_MS: '5000',
      ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS: '5000',
      ENRICHER_MEMORY_LIMIT_MIB: '100',
      ENRICHER_MEMORY_SPIKE_MIB: '100',
      ENRICHER_OTLP_GRPC_KEEPALIVE_TIME_MS: '0',
      ENRICHER_OTLP_GRPC_MAX_CONCURRENT_REQUESTS: 'many',
      ENRICHER_GENESYS_BREAKER_COOLDOWN_MS: '0',
    });
    assert.deepEqual(err.problems.map((p) => p.key).sort(), [
      'ENRICHER_GENESYS_BREAKER_COOLDOWN_MS',
      'ENRICHER_MEMORY_SPIKE_MIB',
      'ENRICHER_OTLP_GRPC_KEEPALIVE_TIME_MS',
      'ENRICHER_OTLP_GRPC_MAX_CONCURRENT_REQUESTS',
      'ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS',
    ]);
    assert.match(err.message, /ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS: must exceed ENRICHER_LOOKUP_BUDGET_MS \(5000\)/);
    assert.equal(configFromEnv({ ENRICHER_LOOKUP_BUDGET_MS: '60000', ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS: '0' }).limits.requestTimeoutMs, 0, '0: no deadline');
  });

  it('wants the idle timeout above the request deadline, since a request waiting for Genesys sends nothing', () => {
    const err = catchConfigError({ ENRICHER_OTLP_IDLE_TIMEOUT_MS: '30000' });
    assert.deepEqual(err.problems.map((p) => p.key), ['ENRICHER_OTLP_IDLE_TIMEOUT_MS']);
    assert.match(err.message, /must exceed ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS \(30000\)/);
    assert.equal(configFromEnv({ ENRICHER_OTLP_IDLE_TIMEOUT_MS: '0', ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS: '60000' }).limits.transport.idleTimeoutMs, 0, '0: none');
  });

  it('holds requests for backpressure 1 s by default, and never as long as the request deadline', () => {
    assert.equal(configFromEnv({}).export.backpressureMs, 1000);
    assert.equal(configFromEnv({ ENRICHER_EXPORT_BACKPRESSURE_MS: '0' }).export.backpressureMs, 0);
    const err = catchConfigError({ ENRICHER_EXPORT_BACKPRESSURE_MS: '5000', ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS: '5000' });
    assert.deepEqual(err.problems.map((p) => p.key), ['ENRICHER_EXPORT_BACKPRESSURE_MS']);
    assert.match(err.message, /ENRICHER_EXPORT_BACKPRESSURE_MS: must be below ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS \(5000\)/);
    assert.equal(configFromEnv({ ENRICHER_EXPORT_BACKPRESSURE_MS: '60000', ENRICHER_OTLP_GRPC_REQUEST_TIMEOUT_MS: '0' }).export.backpressureMs, 60_000);
  });

  it('lists the new variables in ENV_VARS', () => {
    for (const key of ['ENRICHER_OTLP_GRPC_MAX_CONCURRENT_REQUESTS', 'ENRICHER_MEMORY_LIMIT_MIB', 'ENRICHER_GENESYS_BREAKER_FAILURES', 'ENRICHER_GENESYS_BREAKER_COOLDOWN_MS']) {
      assert.ok((ENV_VARS as readonly string[]).includes(key), key);
    }
  });
});

describe('configuration of the directory warm-up and the worker processes', () => {
  it('runs one process with warm-up by default', () => {
    const c = configFromEnv({});
    assert.equal(c.workers, 1);
    assert.deepEqual({ ...c.warmup }, { enabled: true, readyTimeoutMs: 30_000, refreshMs: 300_000 });
  });

  it('reads ENRICHER_WARMUP, its readiness time limit and its refresh period', () => {
    const c = configFromEnv({ ENRICHER_WARMUP: 'on', ENRICHER_WARMUP_TIMEOUT_MS: '0', ENRICHER_WARMUP_REFRESH_SECONDS: '60' });
    assert.deepEqual({ ...c.warmup }, { enabled: true, readyTimeoutMs: 0, refreshMs: 60_000 });
  });

  it('takes a worker count, or auto for one per CPU', () => {
    assert.equal(configFromEnv({ ENRICHER_WORKERS: '3' }).workers, 3);
    const auto = configFromEnv({ ENRICHER_WORKERS: 'auto' }).workers;
    assert.ok(auto >= 1 && auto <= 64, `auto gave ${auto}`);
  });

  it('names every bad warm-up and worker setting at once', () => {
    const err = catchConfigError({ ENRICHER_WARMUP: 'maybe', ENRICHER_WARMUP_REFRESH_SECONDS: '-1', ENRICHER_WORKERS: '0' });
    assert.deepEqual(err.problems.map((p) => p.key).sort(), ['ENRICHER_WARMUP', 'ENRICHER_WARMUP_REFRESH_SECONDS', 'ENRICHER_WORKERS']);
    assert.match(err.message, /ENRICHER_WARMUP: must be on or off, got "maybe"/);
  });

  it('raises the HTTP/2 receive window to 1 MiB unless ENRICHER_OTLP_GRPC_WINDOW_KIB says otherwise (64: grpc-js\'s own)', () => {
    assert.equal(configFromEnv({}).receiver.grpcFlowControlWindowBytes, 1024 * 1024);
    assert.equal(configFromEnv({ ENRICHER_OTLP_GRPC_WINDOW_KIB: '64' }).receiver.grpcFlowControlWindowBytes, undefined);
    assert.equal(configFromEnv({ ENRICHER_OTLP_GRPC_WINDOW_KIB: '4096' }).receiver.grpcFlowControlWindowBytes, 4 * 1024 * 1024);
    assert.deepEqual(catchConfigError({ ENRICHER_OTLP_GRPC_WINDOW_KIB: '16' }).problems.map((p) => p.key), ['ENRICHER_OTLP_GRPC_WINDOW_KIB']);
  });

  it('lists the new variables in ENV_VARS', () => {
    for (const key of ['ENRICHER_OTLP_GRPC_WINDOW_KIB', 'ENRICHER_WARMUP', 'ENRICHER_WARMUP_TIMEOUT_MS', 'ENRICHER_WARMUP_REFRESH_SECONDS', 'ENRICHER_WORKERS']) {
      assert.ok((ENV_VARS as readonly string[]).includes(key), key);
    }
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
