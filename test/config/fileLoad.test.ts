import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configFromEnv, ConfigError } from '../../src/config/index';
import { loadConfig } from '../../src/config/load';

const dir = mkdtempSync(path.join(tmpdir(), 'enricher-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Writes `yaml` to a fresh file and returns its path. */
function file(yaml: string): string {
  const p = path.join(dir, `config-${++files}.yaml`);
  writeFileSync(p, yaml);
  return p;
}

function problemsOf(fn: () => unknown): Array<{ key: string; message: string }> {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return [...err.problems];
  }
  assert.fail('expected a ConfigError');
}

describe('configuration file: structure', () => {
  it('gives the same configuration as the variables its keys stand for', () => {
    const yaml = `
genesys:
  client_id: my-client
  client_secret: s3cret
  region: mypurecloud.ie
receivers:
  otlp:
    grpc:
      address: 127.0.0.1:14317
      max_recv_msg_size_mib: 32
enrichment:
  source_attribute: agent.id
  lookup_budget_ms: 150
cache:
  ttl_seconds: 120
exporter:
  endpoint: https://jaeger:4317
  sending_queue: { max_spans: 5000, concurrency: 2 }
  retry_on_failure: { initial_interval_ms: 100, max_interval_ms: 1000 }
admin: { address: 0.0.0.0:8081, token: admin-token-of-at-least-32-characters }
log_level: debug
`;
    const fromFile = loadConfig({ env: {}, file: file(yaml) }).config;
    const fromEnv = configFromEnv({
      GENESYS_CLIENT_ID: 'my-client',
      GENESYS_CLIENT_SECRET: 's3cret',
      GENESYS_REGION: 'mypurecloud.ie',
      ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:14317',
      ENRICHER_OTLP_GRPC_MAX_RECV_MIB: '32',
      ENRICHER_SOURCE_ATTRIBUTE: 'agent.id',
      ENRICHER_LOOKUP_BUDGET_MS: '150',
      ENRICHER_CACHE_TTL_SECONDS: '120',
      ENRICHER_EXPORT_OTLP_ENDPOINT: 'https://jaeger:4317',
      ENRICHER_EXPORT_QUEUE_MAX_SPANS: '5000',
      ENRICHER_EXPORT_CONCURRENCY: '2',
      ENRICHER_EXPORT_RETRY_INITIAL_MS: '100',
      ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS: '1000',
      ENRICHER_ADMIN_ADDRESS: '0.0.0.0:8081',
      ENRICHER_ADMIN_TOKEN: 'admin-token-of-at-least-32-characters',
      ENRICHER_LOG_LEVEL: 'debug',
    });
    assert.deepEqual(fromFile, fromEnv);
    assert.ok(Object.isFrozen(fromFile) && Object.isFrozen(fromFile.genesys), 'validated once, frozen');
  });

  it('treats an empty file, and empty values, as nothing set', () => {
    assert.deepEqual(loadConfig({ env: {}, file: file('') }).config, configFromEnv({}));
    const c = loadConfig({ env: {}, file: file('genesys:\n  region:\n  api_url: ~\ncache:\n') }).config;
    assert.equal(c.genesys.region, 'mypurecloud.com');
  });

  it('writes mappings as name=value lists and sequences as comma lists', () => {
    const c = loadConfig({
      env: {},
      file: file(`
receivers:
  otlp:
    http:
      cors: { allowed_origins: [https://a.example.com, https://b.example.com] }
exporter:
  endpoint: https://backend:4317
  headers: { x-api-key: "k=1,2", x-tenant: acme }
self_telemetry:
  enabled: true
  endpoint: http://jaeger:4317
  resource_attributes: { deployment.environment.name: prod, team: "contact center" }
`),
    }).config;
    assert.deepEqual(c.receiver.corsAllowedOrigins, ['https://a.example.com', 'https://b.example.com']);
    assert.deepEqual(c.export.headers, { 'x-api-key': 'k=1,2', 'x-tenant': 'acme' });
    assert.ok(c.selfTelemetry.enabled);
    assert.deepEqual(c.selfTelemetry.resourceAttributes, { 'deployment.environment.name': 'prod', team: 'contact center' });
  });

  it('follows YAML anchors and aliases', () => {
    const c = loadConfig({ env: {}, file: file('cache:\n  ttl_seconds: &t 90\n  not_found_ttl_seconds: *t\n') }).config;
    assert.equal(c.cache.notFoundTtlMs, 90_000);
  });
});

describe('configuration file: environment variables', () => {
  it('lets a non-empty environment variable override the file, and says so', () => {
    const { config, sources } = loadConfig({
      env: { GENESYS_REGION: 'usw2.pure.cloud', ENRICHER_LOG_LEVEL: '' },
      file: file('genesys: { region: mypurecloud.ie }\nlog_level: warn\n'),
    });
    assert.equal(config.genesys.region, 'usw2.pure.cloud');
    assert.equal(config.logLevel, 'warn', 'an empty variable (compose passes ${VAR:-}) does not override');
    assert.deepEqual(sources.overridden, ['GENESYS_REGION']);
    assert.deepEqual(sources.fromFile, ['ENRICHER_LOG_LEVEL']);
  });

  it('reads the file named by ENRICHER_CONFIG, unless --config names another', () => {
    const a = file('log_level: warn\n');
    const b = file('log_level: error\n');
    assert.equal(loadConfig({ env: { ENRICHER_CONFIG: a } }).config.logLevel, 'warn');
    assert.equal(loadConfig({ env: { ENRICHER_CONFIG: a }, file: b }).config.logLevel, 'error');
  });

  it("puts a command's defaults beneath the file and the environment", () => {
    const defaults = { ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:4317', ENRICHER_LOG_LEVEL: 'debug' };
    const c = loadConfig({ env: { ENRICHER_LOG_LEVEL: 'error' }, file: file('receivers: { otlp: { grpc: { address: 127.0.0.1:5317 } } }\n'), defaults }).config;
    assert.equal(c.receiver.grpcAddress, '127.0.0.1:5317');
    assert.equal(c.logLevel, 'error');
    assert.equal(loadConfig({ env: { ENRICHER_OTLP_GRPC_ADDRESS: '' }, defaults }).config.receiver.grpcAddress, '127.0.0.1:4317');
  });

  it('substitutes ${env:NAME}, ${NAME}, ${env:NAME:-default} and $$ in values', () => {
    const c = loadConfig({
      env: { GID: 'client-a', SECRET: 'p$ss', EMPTY: '' },
      file: file(`
genesys:
  client_id: \${env:GID}
  client_secret: \${SECRET}
  region: \${env:REGION:-mypurecloud.de}
enrichment:
  source_attribute: "\${env:EMPTY:-agent.id}"
admin:
  token: "tok$$en-\${env:GID}-of-at-least-32-characters"
`),
    }).config;
    assert.equal(c.genesys.clientId, 'client-a');
    assert.equal(c.genesys.clientSecret, 'p$ss', 'a substituted value is not scanned again');
    assert.equal(c.genesys.region, 'mypurecloud.de');
    assert.equal(c.enrichment.sourceAttribute, 'agent.id', 'the default also covers an empty variable');
    assert.equal(c.admin.token, 'tok$en-client-a-of-at-least-32-characters');
  });

  it('refuses a variable that is not set and has no default, and other providers, naming them', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: {}, file: file('genesys:\n  client_id: abc\n  client_secret: ${env:GENESYS_SECRET}\nadmin:\n  token: ${file:/run/secrets/t}\n') }),
    );
    assert.deepEqual(
      problems.map((p) => p.key),
      ['genesys.client_secret (GENESYS_CLIENT_SECRET)', 'admin.token (ENRICHER_ADMIN_TOKEN)'],
      'reported once per key: not again as "client_secret is required"',
    );
    assert.match(problems[0]!.message, /line 3: \$\{env:GENESYS_SECRET\} is not set and has no default/);
    assert.match(problems[1]!.message, /only env is supported/);
  });
});

describe('configuration file: problems', () => {
  it('reports unknown keys, suggesting the right one', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {},
        file: file(`
receivers:
  otlp:
    grpc:
      adress: 0.0.0.0:4317
ttl_seconds: 60
GENESYS_REGION: mypurecloud.ie
exporters:
  otlp: {}
`),
      }),
    );
    assert.deepEqual(problems, [
      { key: 'receivers.otlp.grpc.adress', message: 'line 5: unknown key; did you mean "receivers.otlp.grpc.address"?' },
      { key: 'ttl_seconds', message: 'line 6: unknown key; did you mean "cache.ttl_seconds"?' },
      { key: 'GENESYS_REGION', message: 'line 7: unknown key; the variable GENESYS_REGION is written genesys.region in this file' },
      { key: 'exporters', message: 'line 8: unknown key; did you mean "exporter"?' },
    ]);
  });

  it('reports values of the wrong YAML type', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {},
        file: file(`
genesys: mypurecloud.ie
cache:
  ttl_seconds: { minutes: 10 }
  max_entries: [1, 2]
admin:
  token: 12345
self_telemetry:
  enabled: maybe
log_level: true
`),
      }),
    );
    const byKey = new Map(problems.map((p) => [p.key, p.message]));
    assert.match(byKey.get('genesys')!, /line 2: must be a section .*got text/);
    assert.match(byKey.get('cache.ttl_seconds (ENRICHER_CACHE_TTL_SECONDS)')!, /line 4: must be a whole number, got a mapping/);
    assert.match(byKey.get('cache.max_entries (ENRICHER_CACHE_MAX_ENTRIES)')!, /must be a whole number, got a list/);
    assert.match(byKey.get('admin.token (ENRICHER_ADMIN_TOKEN)')!, /must be text, got a number \(put it in quotes/);
    assert.match(byKey.get('log_level (ENRICHER_LOG_LEVEL)')!, /must be text, got a boolean/);
    assert.match(byKey.get('self_telemetry.enabled (ENRICHER_SELF_TELEMETRY)')!, /must be on or off, got "maybe"/);
    assert.ok(!JSON.stringify(problems).includes('12345'), 'a secret is never echoed');
  });

  it('reports every problem together, the file reader and the validator, naming the YAML key and its variable', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: { ENRICHER_ADMIN_ADDRESS: 'nowhere' },
        file: file(`
genesys:
  client_id: abc
receivers:
  otlp:
    grpc:
      address: everywhere
      max_recv_msg_size_mib: "big"
cache:
  tll_seconds: 10
`),
      }),
    );
    assert.deepEqual(problems.map((p) => p.key).sort(), [
      'ENRICHER_ADMIN_ADDRESS (environment variable, overrides admin.address)',
      'cache.tll_seconds',
      'genesys.client_secret (GENESYS_CLIENT_SECRET)',
      'receivers.otlp.grpc.address (ENRICHER_OTLP_GRPC_ADDRESS)',
      'receivers.otlp.grpc.max_recv_msg_size_mib (ENRICHER_OTLP_GRPC_MAX_RECV_MIB)',
    ]);
  });

  it('reports a syntax error by line, without quoting the line (it may hold a secret)', () => {
    const problems = problemsOf(() => loadConfig({ env: {}, file: file('genesys:\n  client_secret: "hunter2\n  region: x\n') }));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.key, /config-\d+\.yaml$/);
    assert.match(problems[0]!.message, /^line \d+: /);
    assert.ok(!problems[0]!.message.includes('hunter2'));
    const dup = problemsOf(() => loadConfig({ env: {}, file: file('log_level: info\nlog_level: debug\n') }));
    assert.match(dup[0]!.message, /line 2: .*unique/);
  });

  it('refuses a file that is not a mapping, and one that cannot be read', () => {
    assert.match(problemsOf(() => loadConfig({ env: {}, file: file('- a\n- b\n') }))[0]!.message, /must be a YAML mapping/);
    assert.deepEqual(problemsOf(() => loadConfig({ env: {}, file: path.join(dir, 'missing.yaml') })), [
      { key: '--config', message: `cannot read the configuration file "${path.join(dir, 'missing.yaml')}" (ENOENT)` },
    ]);
    assert.equal(problemsOf(() => loadConfig({ env: { ENRICHER_CONFIG: path.join(dir, 'nope.yaml') } }))[0]!.key, 'ENRICHER_CONFIG');
  });

  it('keeps plain variable names when no file is in play', () => {
    assert.deepEqual(problemsOf(() => loadConfig({ env: { ENRICHER_LOG_LEVEL: 'loud' } })).map((p) => p.key), ['ENRICHER_LOG_LEVEL']);
  });
});
