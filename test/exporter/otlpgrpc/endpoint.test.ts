import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEndpoint } from '../../../src/exporter/otlpgrpc/index';

describe('parseEndpoint', () => {
  it('reads plaintext and TLS endpoints', () => {
    assert.deepEqual(parseEndpoint('http://jaeger:4317'), { address: 'jaeger:4317', tls: false });
    assert.deepEqual(parseEndpoint('https://traces.example.com:443/'), { address: 'traces.example.com:443', tls: true });
    assert.deepEqual(parseEndpoint('http://[::1]:4317'), { address: '[::1]:4317', tls: false });
  });

  it('defaults the port to the OTLP/gRPC port 4317', () => {
    assert.deepEqual(parseEndpoint('https://jaeger'), { address: 'jaeger:4317', tls: true });
  });

  it('rejects what is not an http(s) host:port', () => {
    for (const bad of ['jaeger:4317', 'grpc://jaeger:4317', 'http://jaeger:4317/v1/traces', 'http://:4317', 'http://user@jaeger:4317', '']) {
      assert.throws(() => parseEndpoint(bad), /http:\/\/host:port/, bad);
    }
    assert.throws(() => parseEndpoint('http://jaeger:70000'), /1-65535/);
  });
});
