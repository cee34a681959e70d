import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { configFromEnv } from '../../src/config/index';
import { checkDescriptorBudget, isLoopback, receiverSecurity } from '../../src/service/receivers';
import { createLogger, silentLogger } from '../../src/telemetry/logger';
import { tlsEnv } from '../helpers/certs';

function warningsFor(env: Record<string, string>): Array<{ msg: string; variable?: string }> {
  const lines: Array<{ msg: string; variable?: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  receiverSecurity(configFromEnv(env).receiver, createLogger({ level: 'warn', destination }));
  return lines.filter((l) => l.msg.startsWith('receiver listens beyond loopback'));
}

describe('receivers reachable from other hosts', () => {
  it('are not, by default: both listen on loopback, and nothing is said', () => {
    assert.deepEqual(warningsFor({}), []);
  });

  it('are named in a warning at start-up when they listen beyond loopback without a bearer token or mTLS', () => {
    const warnings = warningsFor({ ENRICHER_OTLP_GRPC_ADDRESS: '0.0.0.0:4317', ENRICHER_OTLP_HTTP_ADDRESS: '[::]:4318' });
    assert.deepEqual(warnings.map((w) => w.variable), ['ENRICHER_OTLP_GRPC_ADDRESS', 'ENRICHER_OTLP_HTTP_ADDRESS']);
    assert.match(warnings[0].msg, /ENRICHER_RECEIVER_BEARER_TOKEN or mTLS/);
  });

  it('are accepted silently with a bearer token, or with mTLS', () => {
    assert.deepEqual(warningsFor({ ENRICHER_OTLP_GRPC_ADDRESS: '0.0.0.0:4317', ENRICHER_RECEIVER_BEARER_TOKEN: 'a-receiver-token-of-more-than-32-characters' }), []);
    assert.deepEqual(warningsFor({ ENRICHER_OTLP_GRPC_ADDRESS: '0.0.0.0:4317', ENRICHER_OTLP_HTTP_ADDRESS: 'off', ...tlsEnv({ mtls: true }) }), []);
    assert.equal(warningsFor({ ENRICHER_OTLP_GRPC_ADDRESS: '0.0.0.0:4317', ENRICHER_OTLP_HTTP_ADDRESS: 'off', ...tlsEnv({ mtls: false }) }).length, 1, 'TLS alone authenticates nobody');
  });

  it('tell loopback from the rest', () => {
    for (const a of ['127.0.0.1:4317', '127.1.2.3:1', 'localhost:4317', '[::1]:4317']) assert.ok(isLoopback(a), a);
    for (const a of ['0.0.0.0:4317', '[::]:4317', '10.0.0.5:4317', 'collector:4317', '128.0.0.1:4317']) assert.ok(!isLoopback(a), a);
  });
});

describe('the receivers\' connection caps against the open-files limit', () => {
  it('pass when both caps and a reserve fit under it', () => {
    assert.equal(checkDescriptorBudget(4096, 2, silentLogger(), 20_000), undefined);
    assert.equal(checkDescriptorBudget(4096, 2, silentLogger(), undefined), undefined, 'unknown limit (not Linux): nothing to say');
  });

  it('are warned about, with a cap that fits, when they could take every descriptor (or when there is no cap)', () => {
    assert.deepEqual(checkDescriptorBudget(4096, 2, silentLogger(), 1024), { maxConnections: 4096, receivers: 2, openFilesLimit: 1024, suggestedMaxConnections: 384 });
    assert.ok(checkDescriptorBudget(0, 1, silentLogger(), 1_048_576), 'no cap at all');
  });
});
