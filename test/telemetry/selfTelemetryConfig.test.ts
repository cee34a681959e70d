import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { configFromEnv, ConfigError, type Config } from '../../src/config/index';
import { reachesListener } from '../../src/telemetry/selfTelemetryConfig';

function problemsOf(env: Record<string, string>): Array<{ key: string; message: string }> {
  try {
    configFromEnv(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return [...err.problems];
  }
  assert.fail('expected a ConfigError');
}

function enabled(c: Config) {
  assert.ok(c.selfTelemetry.enabled, 'self-telemetry should be on');
  return c.selfTelemetry;
}

const ON = { ENRICHER_SELF_TELEMETRY: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4317' };

describe('self-telemetry configuration', () => {
  it('is off by default, and then ignores OTEL_* variables meant for something else', () => {
    assert.deepEqual(configFromEnv({}).selfTelemetry, { enabled: false });
    assert.deepEqual(configFromEnv({ OTEL_TRACES_SAMPLER: 'bogus', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317' }).selfTelemetry, { enabled: false });
    assert.deepEqual(configFromEnv({ ENRICHER_SELF_TELEMETRY: 'false' }).selfTelemetry, { enabled: false });
  });

  it('takes the standard OTEL_* variables when on', () => {
    const s = enabled(
      configFromEnv({
        ...ON,
        OTEL_SERVICE_NAME: 'enricher-eu',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,team=contact%20center',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D,x-tenant=acme',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=traces-only',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    );
    assert.equal(s.endpoint, 'http://jaeger:4317');
    assert.equal(s.serviceName, 'enricher-eu');
    assert.deepEqual(s.resourceAttributes, { 'deployment.environment.name': 'prod', team: 'contact center' });
    assert.deepEqual(s.headers, { 'x-api-key': 'abc=', 'x-tenant': 'traces-only' }, 'the traces-specific variable wins per header');
    assert.deepEqual(s.sampler, { name: 'parentbased_traceidratio', ratio: 0.25 });
  });

  it('defaults to service genesys-otel-enricher, parent-based always-on sampling, and the traces endpoint wins', () => {
    const s = enabled(configFromEnv({ ...ON, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example.com:4317' }));
    assert.equal(s.serviceName, 'genesys-otel-enricher');
    assert.deepEqual(s.sampler, { name: 'parentbased_always_on' });
    assert.equal(s.endpoint, 'https://otel.example.com:4317');
    assert.equal(enabled(configFromEnv({ ...ON, OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource' })).serviceName, 'from-resource');
  });

  it('reports bad values, naming the variable and never echoing header values', () => {
    const problems = problemsOf({
      ENRICHER_SELF_TELEMETRY: 'yes',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://jaeger',
    });
    assert.deepEqual(problems.map((p) => p.key), ['ENRICHER_SELF_TELEMETRY']);
    const more = problemsOf({
      ...ON,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://jaeger',
      OTEL_TRACES_SAMPLER: 'jaeger_remote',
      OTEL_TRACES_SAMPLER_ARG: '1.5',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization',
      OTEL_RESOURCE_ATTRIBUTES: 'team=%zz',
    });
    assert.deepEqual(more.map((p) => p.key).sort(), ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_TRACES_SAMPLER']);
    const ratio = problemsOf({ ...ON, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' });
    assert.deepEqual(ratio.map((p) => p.key), ['OTEL_TRACES_SAMPLER_ARG']);
    const secret = problemsOf({ ...ON, OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=%E0%A4%A' });
    assert.doesNotMatch(JSON.stringify(secret), /%E0/);
  });

  it("refuses an endpoint that is the enricher's own receiver, so it can never loop", () => {
    const defaulted = problemsOf({ ENRICHER_SELF_TELEMETRY: 'on' });
    assert.deepEqual(defaulted.map((p) => p.key), ['ENRICHER_SELF_TELEMETRY'], 'the default localhost:4317 is our own default receiver');
    assert.match(defaulted[0]!.message, /the enricher's own receiver \(127\.0\.0\.1:4317\)/);
    for (const endpoint of ['http://127.0.0.1:4317', 'localhost:4317']) {
      assert.deepEqual(problemsOf({ ENRICHER_SELF_TELEMETRY: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }).map((p) => p.key), ['OTEL_EXPORTER_OTLP_ENDPOINT'], endpoint);
    }
    const wildcard = problemsOf({ ENRICHER_SELF_TELEMETRY: 'on', ENRICHER_OTLP_GRPC_ADDRESS: '0.0.0.0:4317', OTEL_EXPORTER_OTLP_ENDPOINT: `http://${hostname()}:4317` });
    assert.deepEqual(wildcard.map((p) => p.key), ['OTEL_EXPORTER_OTLP_ENDPOINT'], 'the host name reaches a wildcard listener');
    const traces = problemsOf({ ENRICHER_SELF_TELEMETRY: 'on', ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:5317', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:5317' });
    assert.deepEqual(traces.map((p) => p.key), ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
    // Another port, or our receiver moved elsewhere: fine.
    assert.ok(enabled(configFromEnv({ ENRICHER_SELF_TELEMETRY: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:24317' })));
    assert.ok(enabled(configFromEnv({ ENRICHER_SELF_TELEMETRY: 'on', ENRICHER_OTLP_GRPC_ADDRESS: '0.0.0.0:14317', ENRICHER_OTLP_HTTP_ADDRESS: 'off' })));
  });
});

describe('whether an endpoint reaches a listener of this machine', () => {
  const url = (s: string) => new URL(s);
  it('matches the same port on the same host, loopback to loopback, and anything local to a wildcard listener', () => {
    assert.ok(reachesListener(url('http://collector:4317'), 'collector:4317'));
    assert.ok(reachesListener(url('http://localhost:4317'), '127.0.0.1:4317'));
    assert.ok(reachesListener(url('http://[::1]:4317'), '0.0.0.0:4317'));
    assert.ok(reachesListener(url('http://127.0.0.2:4317'), '[::]:4317'));
  });

  it('does not match another port, another host, or an ephemeral listener', () => {
    assert.ok(!reachesListener(url('http://localhost:4318'), '0.0.0.0:4317'));
    assert.ok(!reachesListener(url('http://jaeger:4317'), '0.0.0.0:4317'));
    assert.ok(!reachesListener(url('http://localhost:4317'), '10.1.2.3:4317'));
    assert.ok(!reachesListener(url('http://localhost:0'), '127.0.0.1:0'));
  });
});
