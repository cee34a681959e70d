import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../../src/config/index';
import { FILE_KEYS } from '../../src/config/fileKeys';
import { REDACTED, redactSecrets, renderConfig } from '../../src/config/filePrint';
import { loadConfig } from '../../src/config/load';
import { runConfig } from '../../src/cli/commands/config';

const MAIN = path.resolve(__dirname, '../../src/cli/main.js');
const BIN = path.resolve(__dirname, '../../../bin/genesys-otel-enricher.js');
const EXAMPLE = path.resolve(__dirname, '../../../otel-config/enricher.example.yaml');
const dir = mkdtempSync(path.join(tmpdir(), 'enricher-print-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('printing the effective configuration', () => {
  it('replaces every secret field with [REDACTED], keeping header names and leaving unset secrets out', () => {
    const printed = redactSecrets({
      genesys: { clientId: 'id', clientSecret: 's' },
      admin: { address: 'a', token: undefined },
      export: { headers: { 'x-api-key': 'k' }, timeoutMs: 5 },
      receiver: { bearerToken: 'b', tls: { keyFile: '/etc/tls/key.pem' } },
    });
    assert.deepEqual(printed, {
      genesys: { clientId: 'id', clientSecret: REDACTED },
      admin: { address: 'a' },
      export: { headers: { 'x-api-key': REDACTED }, timeoutMs: 5 },
      receiver: { bearerToken: REDACTED, tls: { keyFile: '/etc/tls/key.pem' } },
    });
  });

  it('never prints the value of any secret setting, whichever way it was given', () => {
    // Each secret row gets a recognisable value; some may not validate, then the problems must not show it either.
    for (const key of FILE_KEYS.filter((k) => k.secret)) {
      const sentinel = `sentinel${key.env.toLowerCase().replace(/_/g, '')}`;
      const value = key.kind === 'map' ? `x-sentinel=${sentinel}` : sentinel;
      const env = { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'other', ENRICHER_SELF_TELEMETRY: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4317', [key.env]: value };
      let text: string;
      try {
        const loaded = loadConfig({ env });
        text = renderConfig(loaded, 'yaml') + renderConfig(loaded, 'json');
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        text = err.message;
      }
      assert.ok(!text.includes(sentinel), `${key.env} leaked`);
    }
  });

  it('says where the settings came from', () => {
    const file = path.join(dir, 'sources.yaml');
    writeFileSync(file, 'log_level: warn\ngenesys: { region: mypurecloud.ie }\n');
    const text = renderConfig(loadConfig({ env: { GENESYS_REGION: 'mypurecloud.de', ENRICHER_LOOKUP_BUDGET_MS: '300' }, file }), 'yaml');
    assert.match(text, new RegExp(`^# file: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.match(text, /^# from the file: ENRICHER_LOG_LEVEL$/m);
    assert.match(text, /^# from the environment: ENRICHER_LOOKUP_BUDGET_MS, GENESYS_REGION$/m);
    assert.match(text, /^# the environment overrode the file for: GENESYS_REGION$/m);
    assert.equal((parse(text) as { genesys: { region: string } }).genesys.region, 'mypurecloud.de');
  });
});

/** Runs the `config` command in-process with an environment of its own; output captured. */
async function config(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await runConfig(args, { env, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
  return { code, out, err };
}

describe('the printed configuration fed back through --config', () => {
  // Only the secrets stay in the environment (the printed file references them); everything else must come from the file.
  const roundTrip = (env: Record<string, string>, format: 'yaml' | 'json', file?: string) => {
    const first = loadConfig({ env, file });
    const printed = path.join(dir, `printed-${Math.random().toString(36).slice(2)}.${format}`);
    writeFileSync(printed, renderConfig(first, format));
    const secrets = Object.fromEntries(Object.entries(env).filter(([k]) => FILE_KEYS.some((key) => key.env === k && key.secret)));
    const second = loadConfig({ env: secrets, file: printed });
    return { first, second };
  };

  it('gives the same effective configuration: defaults only', () => {
    for (const format of ['yaml', 'json'] as const) {
      const { first, second } = roundTrip({}, format);
      assert.deepEqual(second.config, first.config);
    }
  });

  it('gives the same effective configuration: the example file, with secrets in the environment', () => {
    const env = { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 's3cret', ENRICHER_ADMIN_TOKEN: 'adm-0123456789abcdef0123456789abcdef', ENRICHER_EXPORT_HEADERS: 'authorization=Bearer%20abc,x-scope-orgid=acme' };
    for (const format of ['yaml', 'json'] as const) {
      const { first, second } = roundTrip(env, format, EXAMPLE);
      assert.deepEqual(second.config, first.config);
      assert.equal(second.config.genesys.clientSecret, 's3cret');
    }
  });

  it('gives the same effective configuration: every kind of value set from the environment', () => {
    const env = {
      GENESYS_REGION: 'mypurecloud.ie', GENESYS_API_URL: 'http://127.0.0.1:9000', ENRICHER_CACHE_TTL_SECONDS: '120',
      ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:14317', ENRICHER_OTLP_HTTP_ADDRESS: 'off', ENRICHER_OTLP_GRPC_KEEPALIVE_TIME_MS: '60000',
      ENRICHER_OTLP_HTTP_CORS_ALLOWED_ORIGINS: 'https://a.example.com, http://b.example.com:8080', ENRICHER_WARMUP: 'on',
      ENRICHER_MEMORY_LIMIT_MIB: '900', ENRICHER_WORKERS: 'auto', ENRICHER_EXPORT_OTLP_ENDPOINT: 'https://collector:4317',
      ENRICHER_EXPORT_QUEUE_DIR: path.join(dir, 'queue'), ENRICHER_SELF_TELEMETRY: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4317',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,team=contact%20center', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25',
      ENRICHER_SOURCE_ATTRIBUTE: '12345', ENRICHER_LOG_LEVEL: 'warn',
    };
    const { first, second } = roundTrip(env, 'yaml');
    assert.deepEqual(second.config, first.config);
    assert.equal(second.sources.fromEnvironment.length, 0, 'nothing but the file');
  });

  it('says where each value came from', () => {
    const file = path.join(dir, 'where.yaml');
    writeFileSync(file, 'cache: { ttl_seconds: 60 }\nlog_level: warn\n');
    const text = renderConfig(loadConfig({ env: { ENRICHER_LOG_LEVEL: 'debug', ENRICHER_LOOKUP_BUDGET_MS: '300' }, file }), 'yaml');
    assert.match(text, /^ {2}ttl_seconds: 60 +# file$/m);
    assert.match(text, /^log_level: debug +# environment ENRICHER_LOG_LEVEL \(overrides the file\)$/m);
    assert.match(text, /^ {2}lookup_budget_ms: 300 +# environment ENRICHER_LOOKUP_BUDGET_MS$/m);
    assert.match(text, /^ {2}max_entries: 100000 +# default$/m);
    assert.match(text, /^ {2}api_url: +# not set$/m);
  });
});

describe('genesys-otel-enricher config', () => {
  it('prints the effective configuration of the example file as YAML in the file\'s layout, secrets as ${env:...} references, and exits 0', async () => {
    const r = await config(['--config', EXAMPLE], { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'topsecret-value', ENRICHER_ADMIN_TOKEN: 'admintoken-value-0123456789abcdef0123' });
    assert.equal(r.code, 0, r.err);
    const printed = parse(r.out) as { genesys: Record<string, unknown>; admin: Record<string, unknown>; exporter: Record<string, unknown>; cache: Record<string, unknown> };
    assert.equal(printed.genesys.client_id, 'id');
    assert.equal(printed.genesys.client_secret, '${env:GENESYS_CLIENT_SECRET}');
    assert.equal(printed.admin.token, '${env:ENRICHER_ADMIN_TOKEN}');
    assert.equal(printed.exporter.endpoint, 'http://jaeger:4317');
    assert.equal(printed.cache.ttl_seconds, 600, 'in the file\'s units');
    assert.match(r.out, /^ {2}client_id: id +# environment GENESYS_CLIENT_ID \(overrides the file\)$/m);
    assert.match(r.out, /^ {2}ttl_seconds: 600 +# file$/m);
    assert.doesNotMatch(r.out + r.err, /topsecret-value|admintoken-value/);
  });

  it('prints JSON with --format json, reading ENRICHER_CONFIG', async () => {
    const r = await config(['--format', 'json'], { ENRICHER_CONFIG: EXAMPLE, ENRICHER_EXPORT_HEADERS: 'x-api-key=hdr-secret' });
    assert.equal(r.code, 0, r.err);
    const printed = JSON.parse(r.out) as { exporter: { headers: string } };
    assert.equal(printed.exporter.headers, '${env:ENRICHER_EXPORT_HEADERS}');
    assert.doesNotMatch(r.out, /hdr-secret/);
  });

  it('prints every problem and exits 2', async () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'cache:\n  ttl_seconds: soon\nexporter:\n  endpont: http://jaeger:4317\n');
    const r = await config(['--config', file]);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /invalid configuration \(2 problems\)/);
    assert.match(r.err, /cache\.ttl_seconds \(ENRICHER_CACHE_TTL_SECONDS\): must be a whole number, got "soon"/);
    assert.match(r.err, /exporter\.endpont: line 4: unknown key; did you mean "exporter\.endpoint"\?/);
  });

  it('refuses unknown options and formats with exit 2', async () => {
    assert.equal((await config(['--verbose'])).code, 2);
    const xml = await config(['--format', 'xml']);
    assert.equal(xml.code, 2);
    assert.match(xml.err, /--format must be yaml or json/);
  });
});

describe('the installed command line', () => {
  it('runs `config` through the bin entry, which npx uses', () => {
    const r = spawnSync(process.execPath, [BIN, 'config', '--config', EXAMPLE, '--format', 'json'], {
      env: { PATH: process.env.PATH ?? '', GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'topsecret-value' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { genesys: { client_secret: string } }).genesys.client_secret, '${env:GENESYS_CLIENT_SECRET}');
    assert.doesNotMatch(r.stdout, /topsecret-value/);
  });

  it('stops `serve --config` on a bad file with every problem named and exit 2, before anything starts', () => {
    const file = path.join(dir, 'serve-bad.yaml');
    writeFileSync(file, 'receivers:\n  otlp:\n    grpc:\n      address: everywhere\n');
    const r = spawnSync(process.execPath, [MAIN, 'serve', '--config', file], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 15_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /receivers\.otlp\.grpc\.address \(ENRICHER_OTLP_GRPC_ADDRESS\): must be host:port/);
    assert.doesNotMatch(r.stdout, /started/);
  });
});
