import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { PipelineError } from '../../../src/errors';
import { exportRequestType } from '../../../src/otlp/protos';
import type { TraceBatch, TracesConsumer } from '../../../src/pipeline/consumer';
import { OtlpGrpcReceiver, STATUS_DETAILS_KEY, decodeRetryDelayMs } from '../../../src/receiver/otlpgrpc/index';
import { silentLogger } from '../../../src/telemetry/logger';
import { flattenSpans } from '../../helpers/grpcSink';
import { createOtelClient } from '../../helpers/otelClient';
import { encodeRequest, makeRequest } from '../../helpers/otlpFixtures';
import { type RawClient, rawClient } from '../../helpers/rawGrpcClient';

/** Next stage that records batches and answers with `behaviour` (default: accept). */
class StubStage extends EventEmitter implements TracesConsumer {
  readonly batches: TraceBatch[] = [];
  constructor(private readonly behaviour: (batch: TraceBatch) => Promise<void> | void = () => undefined) {
    super();
  }
  consumeTraces(batch: TraceBatch): Promise<void> {
    this.batches.push(batch);
    this.emit('batch', batch);
    // Deliberately lets a synchronous throw escape, as a buggy stage might.
    return this.behaviour(batch) as Promise<void>;
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startReceiver(next: TracesConsumer, options: { maxRecvMessageBytes?: number } = {}): Promise<OtlpGrpcReceiver> {
  const receiver = new OtlpGrpcReceiver({ address: '127.0.0.1:0', next, logger: silentLogger(), ...options });
  await receiver.start();
  cleanups.push(() => receiver.shutdown({ graceMs: 0 }));
  return receiver;
}

function client(port: number, options: { gzip?: boolean } = {}): RawClient {
  const c = rawClient(port, options);
  cleanups.push(() => c.close());
  return c;
}

const validRequest = () => encodeRequest(makeRequest({ spans: 3 }));

describe('OtlpGrpcReceiver', () => {
  it('hands the next stage the exact request an OpenTelemetry SDK sent, as one batch with spanCount 0', async () => {
    const stage = new StubStage();
    const receiver = await startReceiver(stage);
    const otel = createOtelClient({ port: receiver.port, serviceName: 'checkout' });
    cleanups.push(() => otel.shutdown());

    for (const name of ['a', 'b', 'c']) otel.tracer.startSpan(name, { attributes: { 'external.user.id': `user-${name}` } }).end();
    await otel.flush();

    assert.equal(stage.batches.length, 1);
    assert.equal(stage.batches[0].spanCount, 0, 'the receiver does not count; the processor does');
    const type = exportRequestType();
    const spans = flattenSpans(type.toObject(type.decode(stage.batches[0].bytes), { longs: String }));
    assert.deepEqual(spans.map((s) => [s.name, s.attributes['external.user.id'], s.resource['service.name']]).sort(), [
      ['a', 'user-a', 'checkout'],
      ['b', 'user-b', 'checkout'],
      ['c', 'user-c', 'checkout'],
    ]);
  });

  it('accepts gzip-compressed requests from the OpenTelemetry SDK', async () => {
    const stage = new StubStage();
    const receiver = await startReceiver(stage);
    const otel = createOtelClient({ port: receiver.port, compression: 'gzip' });
    cleanups.push(() => otel.shutdown());

    otel.tracer.startSpan('compressed').end();
    await otel.flush();

    const type = exportRequestType();
    const spans = flattenSpans(type.toObject(type.decode(stage.batches[0].bytes)));
    assert.deepEqual(spans.map((s) => s.name), ['compressed']);
  });

  it('passes on the decompressed bytes of a gzip request, and checks the size limit after decompression', async () => {
    const stage = new StubStage();
    const receiver = await startReceiver(stage, { maxRecvMessageBytes: 16 * 1024 });
    const gzipClient = client(receiver.port, { gzip: true });
    const fits = Buffer.alloc(8 * 1024, 0x61);
    const tooBigOnceInflated = Buffer.alloc(64 * 1024, 0x61);
    assert.ok(gzipSync(tooBigOnceInflated).length < 16 * 1024, 'small on the wire');

    assert.equal((await gzipClient.export(fits)).code, grpc.status.OK);
    assert.deepEqual(stage.batches[0].bytes, fits);
    assert.equal((await gzipClient.export(tooBigOnceInflated)).code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(stage.batches.length, 1, 'the oversized request never reached the next stage');
  });

  it('refuses what the next stage calls malformed with INVALID_ARGUMENT, and keeps serving', async () => {
    const stage = new StubStage((batch) => {
      try {
        exportRequestType().decode(batch.bytes);
      } catch (err) {
        throw new PipelineError('invalid_argument', `not an ExportTraceServiceRequest: ${(err as Error).message}`);
      }
    });
    const receiver = await startReceiver(stage);
    const raw = client(receiver.port);

    const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const refused = await raw.export(garbage);
    assert.equal(refused.code, grpc.status.INVALID_ARGUMENT);
    assert.match(refused.details, /not an ExportTraceServiceRequest/);
    assert.deepEqual(stage.batches[0].bytes, garbage, 'the receiver itself passed the garbage on untouched');

    assert.equal((await raw.export(validRequest())).code, grpc.status.OK);
    assert.equal(stage.batches.length, 2);
  });

  it('answers RESOURCE_EXHAUSTED to a request over maxRecvMessageBytes without bothering the next stage, and keeps serving', async () => {
    const stage = new StubStage();
    const receiver = await startReceiver(stage, { maxRecvMessageBytes: 1024 });
    const raw = client(receiver.port);

    assert.equal((await raw.export(Buffer.alloc(4096))).code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(stage.batches.length, 0);
    assert.equal((await raw.export(Buffer.alloc(512))).code, grpc.status.OK);
    assert.equal(stage.batches.length, 1);
  });

  it('turns a retryable refusal into UNAVAILABLE with a RetryInfo telling the client when to come back', async () => {
    const stage = new StubStage(() => Promise.reject(new PipelineError('resource_exhausted', 'sending queue is full', 1500)));
    const receiver = await startReceiver(stage);

    const refused = await client(receiver.port).export(validRequest());

    assert.equal(refused.code, grpc.status.UNAVAILABLE);
    const details = refused.metadata.get(STATUS_DETAILS_KEY)[0];
    assert.ok(Buffer.isBuffer(details), 'grpc-status-details-bin is present');
    assert.equal(decodeRetryDelayMs(details), 1500);
  });

  it('sends no RetryInfo when the refusal carries no delay', async () => {
    const stage = new StubStage(() => Promise.reject(new PipelineError('unavailable', 'directory down')));
    const receiver = await startReceiver(stage);

    const refused = await client(receiver.port).export(validRequest());

    assert.equal(refused.code, grpc.status.UNAVAILABLE);
    assert.deepEqual(refused.metadata.get(STATUS_DETAILS_KEY), []);
  });

  it('answers INTERNAL, without the error text, when the next stage throws something unexpected, synchronously or not', async () => {
    let calls = 0;
    const stage = new StubStage(() => {
      calls++;
      if (calls === 1) throw new Error('password=hunter2 leaked in a message');
      return Promise.reject('a string, not an Error');
    });
    const receiver = await startReceiver(stage);
    const raw = client(receiver.port);

    const first = await raw.export(validRequest());
    const second = await raw.export(validRequest());

    assert.deepEqual([first.code, first.details], [grpc.status.INTERNAL, 'internal error']);
    assert.equal(second.code, grpc.status.INTERNAL);
    assert.equal((await raw.export(validRequest())).code, grpc.status.INTERNAL, 'still serving');
  });
});

describe('OtlpGrpcReceiver lifecycle', () => {
  it('binds port 0 to a real port, which it exposes once started', async () => {
    const receiver = new OtlpGrpcReceiver({ address: '127.0.0.1:0', next: new StubStage(), logger: silentLogger() });
    assert.throws(() => receiver.port, /not listening/);
    await receiver.start();
    cleanups.push(() => receiver.shutdown());
    assert.ok(receiver.port > 0);
    assert.equal((await client(receiver.port).export(validRequest())).code, grpc.status.OK);
  });

  it('rejects start when the address is taken, and still shuts down cleanly', async () => {
    const first = await startReceiver(new StubStage());
    const second = new OtlpGrpcReceiver({ address: `127.0.0.1:${first.port}`, next: new StubStage(), logger: silentLogger() });

    await assert.rejects(second.start());
    await second.shutdown();
    assert.equal((await client(first.port).export(validRequest())).code, grpc.status.OK, 'the first is unaffected');
  });

  it('shuts down safely before start and twice, and will not start again', async () => {
    const receiver = new OtlpGrpcReceiver({ address: '127.0.0.1:0', next: new StubStage(), logger: silentLogger() });
    await receiver.shutdown();
    await receiver.shutdown();
    await assert.rejects(receiver.start(), /already shut down/);

    const started = await startReceiver(new StubStage());
    await Promise.all([started.shutdown(), started.shutdown()]);
    await started.shutdown();
  });

  it('lets an in-flight request finish within the grace period', async () => {
    let finish!: () => void;
    const stage = new StubStage(() => new Promise<void>((resolve) => (finish = resolve)));
    const receiver = await startReceiver(stage);
    const answer = client(receiver.port).export(validRequest());
    await once(stage, 'batch');

    const stopped = receiver.shutdown({ graceMs: 5_000 });
    finish();

    assert.equal((await answer).code, grpc.status.OK);
    await stopped;
  });

  it('closes connections once in-flight requests outlive the grace period', async () => {
    const stage = new StubStage(() => new Promise<void>(() => undefined)); // never answers
    const receiver = await startReceiver(stage);
    const answer = client(receiver.port).export(validRequest());
    await once(stage, 'batch');

    await receiver.shutdown({ graceMs: 50 });

    assert.notEqual((await answer).code, grpc.status.OK);
  });

  it('rejects bad options at construction, naming every problem', () => {
    assert.throws(
      () => new OtlpGrpcReceiver({ address: 'localhost', next: new StubStage(), logger: silentLogger(), maxRecvMessageBytes: -1 }),
      (err: Error) => /address must be host:port/.test(err.message) && /maxRecvMessageBytes/.test(err.message),
    );
    assert.throws(() => new OtlpGrpcReceiver({ address: 'h:70000', next: new StubStage(), logger: silentLogger() }), /address/);
  });
});
