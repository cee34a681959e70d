import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, it } from 'node:test';
import { PipelineError } from '../../../src/errors';
import { exportRequestType } from '../../../src/otlp/protos';
import type { TraceBatch, TracesConsumer } from '../../../src/pipeline/consumer';
import { OtlpHttpReceiver, type OtlpHttpReceiverOptions } from '../../../src/receiver/otlphttp/index';
import { silentLogger } from '../../../src/telemetry/logger';
import { flattenSpans } from '../../helpers/grpcSink';
import { createOtelHttpClient } from '../../helpers/otelHttpClient';
import { encodeRequest, makeRequest } from '../../helpers/otlpFixtures';
import { decodeStatus, rawHttp } from '../../helpers/rawHttpClient';

/** Next stage that records batches and answers with `behaviour` (default: accept). */
class StubStage implements TracesConsumer {
  readonly batches: TraceBatch[] = [];
  constructor(private readonly behaviour: (batch: TraceBatch) => Promise<void> | void = () => undefined) {}
  consumeTraces(batch: TraceBatch): Promise<void> {
    this.batches.push(batch);
    return Promise.resolve(this.behaviour(batch));
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Extra = Omit<OtlpHttpReceiverOptions, 'address' | 'next' | 'logger'>;

async function startReceiver(next: TracesConsumer, options: Extra = {}): Promise<{ receiver: OtlpHttpReceiver; url: string }> {
  const receiver = new OtlpHttpReceiver({ address: '127.0.0.1:0', next, logger: silentLogger(), ...options });
  await receiver.start();
  cleanups.push(() => receiver.shutdown({ graceMs: 0 }));
  return { receiver, url: `http://127.0.0.1:${receiver.port}/v1/traces` };
}

function decodeBatch(batch: TraceBatch) {
  const type = exportRequestType();
  return flattenSpans(type.toObject(type.decode(batch.bytes), { longs: String }));
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('OtlpHttpReceiver', () => {
  for (const encoding of ['protobuf', 'json'] as const) {
    for (const compression of ['none', 'gzip'] as const) {
      it(`takes ${encoding} (${compression}) from the OpenTelemetry SDK's OTLP/HTTP exporter as one protobuf batch`, async () => {
        const stage = new StubStage();
        const { url } = await startReceiver(stage);
        const otel = createOtelHttpClient({ url, encoding, compression, serviceName: 'checkout' });
        cleanups.push(() => otel.shutdown());

        const parent = otel.tracer.startSpan('a', { attributes: { 'external.user.id': 'user-a', attempt: 3, ratio: 0.5, ok: true, tags: ['x', 'y'] } });
        parent.end();
        otel.tracer.startSpan('b', { links: [{ context: parent.spanContext() }] }).end();
        await otel.flush();

        assert.equal(stage.batches.length, 1);
        assert.equal(stage.batches[0].spanCount, 0, 'the receiver does not count; the processor does');
        const spans = decodeBatch(stage.batches[0]);
        const a = spans.find((s) => s.name === 'a')!;
        assert.deepEqual(a.attributes, { 'external.user.id': 'user-a', attempt: 3, ratio: 0.5, ok: true, tags: ['x', 'y'] });
        assert.equal(a.traceId, parent.spanContext().traceId, 'hex ids arrive as the same bytes');
        assert.equal(a.spanId, parent.spanContext().spanId);
        assert.equal(a.resource['service.name'], 'checkout');
        assert.deepEqual(spans.map((s) => s.name).sort(), ['a', 'b']);
      });
    }
  }

  it('hands a protobuf body on byte for byte and answers 200 with an empty ExportTraceServiceResponse of the same type', async () => {
    const stage = new StubStage();
    const { url } = await startReceiver(stage);
    const request = encodeRequest(makeRequest({ spans: 5 }));

    const res = await rawHttp(url, { headers: PROTOBUF, body: request });
    const json = await rawHttp(url, { headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{}' });

    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-protobuf');
    assert.equal(res.body.length, 0, 'partial_success unset encodes to nothing');
    assert.deepEqual(stage.batches[0].bytes, request);
    assert.equal(json.status, 200);
    assert.equal(json.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(json.body.toString()), {});
  });

  it('answers 400 with a google.rpc.Status in the request encoding for bad data, and keeps serving', async () => {
    const stage = new StubStage((batch) => {
      if (batch.bytes[0] === 0xff) throw new PipelineError('invalid_argument', 'not an ExportTraceServiceRequest');
    });
    const { url } = await startReceiver(stage);

    const badProto = await rawHttp(url, { headers: PROTOBUF, body: Buffer.from([0xff, 0xff, 0xff]) });
    const badJson = await rawHttp(url, { headers: JSON_TYPE, body: '{"resourceSpans": [' });
    const badId = await rawHttp(url, {
      headers: JSON_TYPE,
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'not-hex', name: 'x' }] }] }] }),
    });
    const badGzip = await rawHttp(url, { headers: { ...PROTOBUF, 'content-encoding': 'gzip' }, body: Buffer.from('not gzip') });

    assert.equal(badProto.status, 400);
    assert.equal(badProto.headers['content-type'], 'application/x-protobuf');
    assert.deepEqual(decodeStatus(badProto), { code: 3, message: 'not an ExportTraceServiceRequest' });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.headers['content-type'], 'application/json');
    assert.match(decodeStatus(badJson).message!, /not valid JSON/);
    assert.equal(badId.status, 400);
    assert.match(decodeStatus(badId).message!, /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId: expected a hex string/);
    assert.equal(badGzip.status, 400);
    assert.equal(stage.batches.length, 1, 'only the protobuf garbage reached the stage (it is the one to judge bytes)');
    assert.equal((await rawHttp(url, { headers: PROTOBUF, body: encodeRequest(makeRequest({ spans: 1 })) })).status, 200);
  });

  it('answers 415 to other content types and encodings, 405 to other methods, 404 to other paths', async () => {
    const stage = new StubStage();
    const { url, receiver } = await startReceiver(stage);
    const base = `http://127.0.0.1:${receiver.port}`;

    const text = await rawHttp(url, { headers: { 'content-type': 'text/plain' }, body: 'hello' });
    const none = await rawHttp(url, { body: 'hello' });
    const brotli = await rawHttp(url, { headers: { ...PROTOBUF, 'content-encoding': 'br' }, body: 'x' });
    const get = await rawHttp(url, { method: 'GET' });
    const metrics = await rawHttp(`${base}/v1/metrics`, { headers: PROTOBUF, body: Buffer.alloc(0) });
    const query = await rawHttp(`${url}?x=1`, { headers: PROTOBUF, body: Buffer.alloc(0) });

    assert.deepEqual([text.status, none.status, brotli.status], [415, 415, 415]);
    assert.match(decodeStatus(text).message!, /application\/x-protobuf or application\/json/);
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST, OPTIONS');
    assert.equal(metrics.status, 404);
    assert.equal(metrics.headers['content-type'], 'application/x-protobuf');
    assert.equal(query.status, 200, 'a query string does not change the route');
    assert.equal(stage.batches.length, 1);
  });

  it('answers 413 to bodies over maxBodyBytes, on the wire or once decompressed, without bothering the next stage', async () => {
    const stage = new StubStage();
    const { url } = await startReceiver(stage, { maxBodyBytes: 16 * 1024 });
    const bomb = gzipSync(Buffer.alloc(64 * 1024));
    assert.ok(bomb.length < 16 * 1024, 'small on the wire');

    const declared = await rawHttp(url, { headers: PROTOBUF, body: Buffer.alloc(64 * 1024) });
    const chunked = await rawHttp(url, { headers: { ...PROTOBUF, 'transfer-encoding': 'chunked' }, body: Buffer.alloc(64 * 1024) });
    const inflated = await rawHttp(url, { headers: { ...PROTOBUF, 'content-encoding': 'gzip' }, body: bomb });
    const fits = await rawHttp(url, { headers: { ...PROTOBUF, 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(8 * 1024)) });

    assert.deepEqual([declared.status, chunked.status, inflated.status], [413, 413, 413]);
    assert.match(decodeStatus(inflated).message!, /larger than 16384 bytes/);
    assert.equal(fits.status, 200);
    assert.deepEqual(stage.batches.map((b) => b.bytes), [Buffer.alloc(8 * 1024)], 'the decompressed body went on');
  });

  it('answers a retryable refusal 429 or 503 with Retry-After in whole seconds, and internal errors 500 without details', async () => {
    const refusals = [
      new PipelineError('resource_exhausted', 'sending queue is full', 1_500),
      new PipelineError('unavailable', 'directory down'),
      new PipelineError('shutting_down', 'stopping', 0),
      new PipelineError('deadline_exceeded', 'took too long'),
      new Error('secret internals'),
    ];
    const stage = new StubStage(() => Promise.reject(refusals.shift()));
    const { url } = await startReceiver(stage);
    const send = () => rawHttp(url, { headers: JSON_TYPE, body: '{}' });

    const full = await send();
    const down = await send();
    const stopping = await send();
    const slow = await send();
    const bug = await send();

    assert.equal(full.status, 429);
    assert.equal(full.headers['retry-after'], '2', '1.5 s rounds up');
    assert.deepEqual(decodeStatus(full), { code: 14, message: 'sending queue is full' });
    assert.equal(down.status, 503);
    assert.equal(down.headers['retry-after'], undefined, 'no delay known: the client backs off on its own');
    assert.equal(stopping.status, 503);
    assert.equal(stopping.headers['retry-after'], '1');
    assert.equal(slow.status, 504);
    assert.equal(bug.status, 500);
    assert.deepEqual(decodeStatus(bug), { code: 13, message: 'internal error' });
  });

  it('honours CORS: preflight and responses for allowed origins only', async () => {
    const stage = new StubStage();
    const { url } = await startReceiver(stage, { corsAllowedOrigins: ['https://app.example.com'] });
    const preflight = (origin: string) =>
      rawHttp(url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'Content-Type, Authorization, X-Tenant, Cookie' },
      });

    const allowed = await preflight('https://app.example.com');
    const denied = await preflight('https://evil.example.com');
    const post = await rawHttp(url, { headers: { ...JSON_TYPE, origin: 'https://app.example.com' }, body: '{}' });
    const foreign = await rawHttp(url, { headers: { ...JSON_TYPE, origin: 'https://evil.example.com' }, body: '{}' });

    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(allowed.headers['access-control-allow-methods'], 'POST');
    assert.equal(allowed.headers['access-control-allow-headers'], 'content-type, authorization, x-tenant');
    assert.equal(allowed.headers['access-control-max-age'], '7200');
    assert.equal(denied.status, 204);
    assert.equal(denied.headers['access-control-allow-origin'], undefined);
    assert.equal(post.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.match(String(post.headers['access-control-expose-headers']), /Retry-After/);
    assert.equal(foreign.status, 200, 'CORS is for browsers to enforce; the request itself is served');
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);
  });

  it('allows every origin with "*"', async () => {
    const { url } = await startReceiver(new StubStage(), { corsAllowedOrigins: ['*'] });
    const res = await rawHttp(url, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:5173');
  });

  it('rejects bad options, naming each problem', () => {
    const next = new StubStage();
    assert.throws(
      () => new OtlpHttpReceiver({ address: 'nowhere', next, logger: silentLogger(), maxBodyBytes: 0, corsAllowedOrigins: ['app.example.com/x'] }),
      /address must be host:port.*maxBodyBytes must be a positive integer.*corsAllowedOrigins must hold \* or scheme:\/\/host\[:port\], got \["app.example.com\/x"\]/,
    );
  });

  it('on shutdown stops accepting, lets the request in flight finish, and is safe twice and before start', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const stage = new StubStage(() => held);
    const receiver = new OtlpHttpReceiver({ address: '127.0.0.1:0', next: stage, logger: silentLogger() });
    await new OtlpHttpReceiver({ address: '127.0.0.1:0', next: stage, logger: silentLogger() }).shutdown();
    await receiver.start();
    const url = `http://127.0.0.1:${receiver.port}/v1/traces`;

    const inFlight = rawHttp(url, { headers: JSON_TYPE, body: '{}' });
    while (stage.batches.length === 0) await new Promise((r) => setTimeout(r, 5));
    const stopped = receiver.shutdown({ graceMs: 5_000 });
    await assert.rejects(rawHttp(url, { headers: JSON_TYPE, body: '{}' }), /ECONNREFUSED/);
    release();

    const res = await inFlight;
    await stopped;
    await receiver.shutdown();
    assert.equal(res.status, 200);
    assert.equal(res.headers.connection, 'close');
    await assert.rejects(receiver.start(), /already shut down/);
  });
});
