/**
 * Both receivers behind TLS, mTLS and bearer-token authentication, driven by
 * the real OpenTelemetry SDK exporters and raw clients, with the committed
 * test certificates (test/fixtures/certs).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { TraceBatch, TracesConsumer } from '../../../src/pipeline/consumer';
import { BearerTokenAuth, bearerTokenInterceptor } from '../../../src/receiver/auth/index';
import { OtlpGrpcReceiver } from '../../../src/receiver/otlpgrpc/index';
import { OtlpHttpReceiver } from '../../../src/receiver/otlphttp/index';
import { type ServerTlsMaterial, grpcServerCredentials, loadServerTls } from '../../../src/receiver/tls/index';
import { silentLogger } from '../../../src/telemetry/logger';
import { certPath, readCert } from '../../helpers/certs';
import { createOtelClient } from '../../helpers/otelClient';
import { createOtelHttpClient } from '../../helpers/otelHttpClient';
import { encodeRequest, makeRequest } from '../../helpers/otlpFixtures';
import { rawClient } from '../../helpers/rawGrpcClient';
import { decodeStatus, rawHttp } from '../../helpers/rawHttpClient';

class RecordingStage implements TracesConsumer {
  readonly batches: TraceBatch[] = [];
  async consumeTraces(batch: TraceBatch): Promise<void> {
    this.batches.push(batch);
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TOKEN = 'test-token-0123456789';
const tlsOnly = (): ServerTlsMaterial => loadServerTls({ certFile: certPath('server'), keyFile: certPath('server', 'key') });
const mtls = (): ServerTlsMaterial => loadServerTls({ certFile: certPath('server'), keyFile: certPath('server', 'key'), clientCaFile: certPath('ca') });
const request = () => encodeRequest(makeRequest({ spans: 2 }));

async function grpcReceiver(options: { tls?: ServerTlsMaterial; token?: string }) {
  const stage = new RecordingStage();
  const receiver = new OtlpGrpcReceiver({
    address: '127.0.0.1:0',
    next: stage,
    logger: silentLogger(),
    credentials: options.tls ? grpcServerCredentials(options.tls) : undefined,
    interceptors: options.token ? [bearerTokenInterceptor(new BearerTokenAuth(options.token))] : [],
  });
  await receiver.start();
  cleanups.push(() => receiver.shutdown({ graceMs: 0 }));
  return { stage, port: receiver.port };
}

async function httpReceiver(options: { tls?: ServerTlsMaterial; token?: string }) {
  const stage = new RecordingStage();
  const receiver = new OtlpHttpReceiver({
    address: '127.0.0.1:0',
    next: stage,
    logger: silentLogger(),
    tls: options.tls,
    auth: options.token ? new BearerTokenAuth(options.token) : undefined,
  });
  await receiver.start();
  cleanups.push(() => receiver.shutdown({ graceMs: 0 }));
  const scheme = options.tls ? 'https' : 'http';
  return { stage, url: `${scheme}://localhost:${receiver.port}/v1/traces` };
}

function grpcCall(port: number, options: Parameters<typeof rawClient>[1]) {
  const client = rawClient(port, options);
  cleanups.push(() => client.close());
  return client.export(request(), { timeoutMs: 3_000 });
}

const trustTestCa = () => grpc.credentials.createSsl(readCert('ca'));
const PROTOBUF = { 'content-type': 'application/x-protobuf' };

describe('OTLP/gRPC receiver with TLS and authentication', () => {
  it('serves the OpenTelemetry SDK over TLS when it trusts the test CA', async () => {
    const { stage, port } = await grpcReceiver({ tls: tlsOnly() });
    const otel = createOtelClient({ port, credentials: trustTestCa() });
    cleanups.push(() => otel.shutdown());
    otel.tracer.startSpan('secure').end();
    await otel.flush();
    assert.equal(stage.batches.length, 1);
    assert.equal((await grpcCall(port, { credentials: grpc.credentials.createSsl() })).code, grpc.status.UNAVAILABLE, 'the system roots do not know the test CA');
  });

  it('with a client CA, refuses clients without a certificate or with one from another CA', async () => {
    const { stage, port } = await grpcReceiver({ tls: mtls() });
    const withCert = (name: 'client' | 'other-client') => grpc.credentials.createSsl(readCert('ca'), readCert(name, 'key'), readCert(name));

    assert.equal((await grpcCall(port, { credentials: trustTestCa() })).code, grpc.status.UNAVAILABLE);
    assert.equal((await grpcCall(port, { credentials: withCert('other-client') })).code, grpc.status.UNAVAILABLE);
    assert.equal(stage.batches.length, 0);
    assert.equal((await grpcCall(port, { credentials: withCert('client') })).code, grpc.status.OK);
    assert.equal(stage.batches.length, 1);
  });

  it('answers UNAUTHENTICATED without the bearer token or with a wrong one, before the handler sees the request', async () => {
    const { stage, port } = await grpcReceiver({ token: TOKEN });

    const missing = await grpcCall(port, {});
    const wrong = await grpcCall(port, { metadata: { authorization: 'Bearer not-the-token' } });
    const right = await grpcCall(port, { metadata: { authorization: `Bearer ${TOKEN}` } });

    assert.equal(missing.code, grpc.status.UNAUTHENTICATED);
    assert.equal(wrong.code, grpc.status.UNAUTHENTICATED);
    assert.doesNotMatch(wrong.details, /not-the-token|test-token/);
    assert.equal(right.code, grpc.status.OK);
    assert.equal(stage.batches.length, 1);
  });

  it('takes the token from the OpenTelemetry SDK metadata over TLS', async () => {
    const { stage, port } = await grpcReceiver({ tls: tlsOnly(), token: TOKEN });
    const otel = createOtelClient({ port, credentials: trustTestCa(), metadata: { authorization: `Bearer ${TOKEN}` } });
    const intruder = createOtelClient({ port, credentials: trustTestCa() });
    cleanups.push(() => otel.shutdown(), () => intruder.shutdown());

    otel.tracer.startSpan('allowed').end();
    await otel.flush();
    intruder.tracer.startSpan('refused').end();
    await assert.rejects(intruder.flush());
    assert.equal(stage.batches.length, 1);
  });
});

describe('OTLP/HTTP receiver with TLS and authentication', () => {
  for (const encoding of ['protobuf', 'json'] as const) {
    it(`serves the OpenTelemetry SDK's ${encoding} exporter over HTTPS with mTLS and a bearer token`, async () => {
      const { stage, url } = await httpReceiver({ tls: mtls(), token: TOKEN });
      const otel = createOtelHttpClient({
        url,
        encoding,
        headers: { authorization: `Bearer ${TOKEN}` },
        tls: { ca: readCert('ca'), cert: readCert('client'), key: readCert('client', 'key') },
      });
      cleanups.push(() => otel.shutdown());
      otel.tracer.startSpan('secure').end();
      await otel.flush();
      assert.equal(stage.batches.length, 1);
    });
  }

  it('refuses a TLS handshake without a client certificate, or with one from another CA, when mTLS is on', async () => {
    const { stage, url } = await httpReceiver({ tls: mtls() });
    await assert.rejects(rawHttp(url, { headers: PROTOBUF, body: request(), tls: { ca: readCert('ca') } }));
    await assert.rejects(rawHttp(url, { headers: PROTOBUF, body: request(), tls: { ca: readCert('ca'), cert: readCert('other-client'), key: readCert('other-client', 'key') } }));
    const ok = await rawHttp(url, { headers: PROTOBUF, body: request(), tls: { ca: readCert('ca'), cert: readCert('client'), key: readCert('client', 'key') } });
    assert.equal(ok.status, 200);
    assert.equal(stage.batches.length, 1);
  });

  it('serves HTTPS without client certificates when there is no client CA, and clients must trust the server', async () => {
    const { stage, url } = await httpReceiver({ tls: tlsOnly() });
    await assert.rejects(rawHttp(url, { headers: PROTOBUF, body: request() }), /self-signed|unable to verify|certificate/i);
    assert.equal((await rawHttp(url, { headers: PROTOBUF, body: request(), tls: { ca: readCert('ca') } })).status, 200);
    assert.equal(stage.batches.length, 1);
  });

  it('answers 401 with WWW-Authenticate without the token or with a wrong one; preflights need none', async () => {
    const { stage, url } = await httpReceiver({ token: TOKEN });
    const plainUrl = url.replace('localhost', '127.0.0.1');

    const missing = await rawHttp(plainUrl, { headers: PROTOBUF, body: request() });
    const wrong = await rawHttp(plainUrl, { headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }, body: '{}' });
    const preflight = await rawHttp(plainUrl, { method: 'OPTIONS' });
    const right = await rawHttp(plainUrl, { headers: { ...PROTOBUF, authorization: `bearer ${TOKEN}` }, body: request() });

    assert.equal(missing.status, 401);
    assert.equal(missing.headers['www-authenticate'], 'Bearer');
    assert.deepEqual(decodeStatus(missing), { code: grpc.status.UNAUTHENTICATED, message: 'missing or invalid bearer token' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers['content-type'], 'application/json');
    assert.equal(preflight.status, 204);
    assert.equal(right.status, 200);
    assert.equal(stage.batches.length, 1);
  });

  it('makes the OpenTelemetry SDK fail, not retry, on a wrong token', async () => {
    const { stage, url } = await httpReceiver({ token: TOKEN });
    const otel = createOtelHttpClient({ url, encoding: 'protobuf', headers: { authorization: 'Bearer wrong' } });
    cleanups.push(() => otel.shutdown());
    otel.tracer.startSpan('refused').end();
    await assert.rejects(otel.flush(), /Unauthorized|401/);
    assert.equal(stage.batches.length, 0);
  });
});
