import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ENV_VARS } from '../../src/config/env';
import { ENV_ONLY_VARS, FILE_KEYS, SECRET_NAME } from '../../src/config/fileKeys';
import { loadConfig } from '../../src/config/load';

const EXAMPLE = path.resolve(__dirname, '../../../otel-config/enricher.example.yaml');

/** The value at a dotted path of a parsed YAML object, or a marker when a section is missing. */
function at(doc: unknown, dotted: string): unknown {
  let node = doc;
  for (const part of dotted.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return MISSING;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
const MISSING = Symbol('missing');

describe('the table between YAML keys and environment variables', () => {
  it('gives every variable of ENV_VARS a YAML path (a setting added later must be mapped here too)', () => {
    const mapped = new Set(FILE_KEYS.map((k) => k.env));
    const unmapped = ENV_VARS.filter((v) => !mapped.has(v) && !ENV_ONLY_VARS.includes(v));
    assert.deepEqual(unmapped, [], `add rows to src/config/fileKeys.ts for: ${unmapped.join(', ')}`);
  });

  it('maps only variables the service reads: ENV_VARS, or the standard OTEL_* ones of self-telemetry', () => {
    const known = new Set<string>(ENV_VARS);
    for (const k of FILE_KEYS) assert.ok(known.has(k.env) || k.env.startsWith('OTEL_'), `${k.path} -> ${k.env} is not read by the service`);
  });

  it('has one row per path and per variable, paths in snake_case', () => {
    assert.equal(new Set(FILE_KEYS.map((k) => k.path)).size, FILE_KEYS.length);
    assert.equal(new Set(FILE_KEYS.map((k) => k.env)).size, FILE_KEYS.length);
    for (const k of FILE_KEYS) assert.match(k.path, /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, k.path);
  });

  it('never uses one name both as a setting and as a section', () => {
    const paths = new Set(FILE_KEYS.map((k) => k.path));
    for (const k of FILE_KEYS) {
      const parts = k.path.split('.');
      for (let i = 1; i < parts.length; i++) assert.ok(!paths.has(parts.slice(0, i).join('.')), `${k.path} sits under a setting`);
    }
  });

  it('marks every credential-looking variable secret, so it is never echoed nor printed', () => {
    for (const k of FILE_KEYS.filter((k) => SECRET_NAME.test(k.env))) assert.equal(k.secret, true, `${k.path} (${k.env})`);
  });
});

describe('otel-config/enricher.example.yaml', () => {
  const text = readFileSync(EXAMPLE, 'utf8');

  it('shows every setting, with its variable named beside it', () => {
    const doc = parse(text) as unknown;
    for (const k of FILE_KEYS) {
      assert.notEqual(at(doc, k.path), MISSING, `${k.path} is missing from the example`);
      assert.ok(text.includes(k.env), `the example does not name ${k.env}`);
    }
  });

  it('is a valid configuration as it stands, with nothing set in the environment', () => {
    const { config, sources } = loadConfig({ env: {}, file: EXAMPLE });
    assert.equal(config.genesys.mode, 'embedded-simulator', 'secrets come from ${env:...:-} and are empty here');
    assert.equal(config.receiver.grpcAddress, '127.0.0.1:4317');
    assert.equal(config.export.endpoint, 'http://jaeger:4317');
    assert.equal(config.selfTelemetry.enabled, false);
    assert.deepEqual(sources.fromEnvironment, []);
  });

  it('states the defaults: loading it gives what no configuration at all gives, but for the example endpoint', () => {
    const fromExample = loadConfig({ env: {}, file: EXAMPLE }).config;
    const fromNothing = loadConfig({ env: { ENRICHER_EXPORT_OTLP_ENDPOINT: 'http://jaeger:4317' } }).config;
    assert.deepEqual(fromExample, fromNothing);
  });

  it('takes its secrets and the self-telemetry switch from the environment', () => {
    const { config } = loadConfig({
      env: {
        GENESYS_CLIENT_ID: 'id',
        GENESYS_CLIENT_SECRET: 'not-in-the-file',
        ENRICHER_SELF_TELEMETRY: 'on',
        DEPLOYMENT_ENVIRONMENT: 'prod',
      },
      file: EXAMPLE,
    });
    assert.equal(config.genesys.mode, 'credentials');
    assert.equal(config.genesys.clientSecret, 'not-in-the-file');
    assert.ok(config.selfTelemetry.enabled);
    assert.equal(config.selfTelemetry.resourceAttributes['deployment.environment.name'], 'prod');
    assert.equal(config.selfTelemetry.endpoint, 'http://jaeger:4317');
  });
});
