/**
 * What the OTLP/HTTP receiver applies before and while it reads a body:
 * admission and the concurrency cap first, then the memory a body takes as it
 * arrives, then the receive deadline.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { PipelineError } from '../../../src/errors';
import type { TraceBatch, TracesConsumer } from '../../../src/pipeline/consumer';
import { OtlpHttpReceiver, type OtlpHttpReceiverOptions } from '../../../src/receiver/otlphttp/index';
import { silentLogger } from '../../../src/telemetry/logger';
import { encodeRequest, makeRequest } from '../../helpers/otlpFixtures';
import { decodeStatus, rawHttp } from '../../helpers/rawHttpClient';

const MIB = 1024 * 1024;

class RecordingStage implements TracesConsumer {
  readonly batches: TraceBatch[] = [];
  consumeTraces(batch: TraceBatch): Promise<void> {
    this.batches.push(batch);
    return Promise.resolve();
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startReceiver(next: TracesConsumer, options: Omit<OtlpHttpReceiverOptions, 'address' | 'next' | 'logger'>): Promise<OtlpHttpReceiver> {
  const receiver = new OtlpHttpReceiver({ address: '127.0.0.1:0', next, logger: silentLogger(), ...options });
  await receiver.start();
  cleanups.push(() => receiver.shutdown({ graceMs: 0 }));
  return receiver;
}

/** Starts a POST declaring `declaredBytes` and sends `sentBytes` of it; resolves with the answer (or 0 if none) once the connection closes. */
function partialUpload(port: number, declaredBytes: number, sentBytes: number): Promise<{ status: number; bytesReceivedByServer?: number }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent: false, headers: { 'content-type': 'application/x-protobuf', 'content-length': declaredBytes } });
    let status = 0;
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.resume();
    });
    req.on('error', () => undefined);
    req.on('close', () => resolve({ status }));
    req.write(Buffer.alloc(sentBytes, 1));
  });
}

describe('OTLP/HTTP receiver limits', () => {
  it('refuses before reading the body while an admission refuses (the memory limiter), and closes the connection', async () => {
    const stage = new RecordingStage();
    const refusal = new PipelineError('resource_exhausted', 'memory limit reached (900 MiB in use, soft limit 800 MiB); retry later', 2000);
    let refusing = true;
    const receiver = await startReceiver(stage, { guard: { admissions: [{ reason: 'memory_limit', refusal: () => (refusing ? refusal : undefined) }] } });
    const res = await rawHttp(`http://127.0.0.1:${receiver.port}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeRequest(makeRequest({ spans: 1 })) });
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '2');
    assert.equal(res.headers.connection, 'close');
    assert.match(decodeStatus(res).message ?? '', /memory limit reached/);
    assert.equal(stage.batches.length, 0);
    assert.deepEqual(receiver.stats().refused, { memory_limit: 1 });

    refusing = false;
    const ok = await rawHttp(`http://127.0.0.1:${receiver.port}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeRequest(makeRequest({ spans: 1 })) });
    assert.equal(ok.status, 200);
  });

  it('counts a request whose body is still arriving under the concurrency cap', async () => {
    const receiver = await startReceiver(new RecordingStage(), { guard: { maxConcurrentRequests: 1 }, receiveTimeoutMs: 1000 });
    const slow = partialUpload(receiver.port, 4 * MIB, MIB);
    await new Promise((r) => setTimeout(r, 200));
    const second = await rawHttp(`http://127.0.0.1:${receiver.port}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeRequest(makeRequest({ spans: 1 })) });
    assert.equal(second.status, 429);
    assert.match(decodeStatus(second).message ?? '', /too many concurrent requests/);
    assert.equal((await slow).status, 408, 'the slow upload itself ends at the receive deadline');
    assert.equal(receiver.stats().inFlight, 0);
  });

  it('counts body bytes against the memory limit as they arrive, cancels the upload at the limit, and gives every byte back', async () => {
    let balance = 0;
    let charged = 0;
    const memory = {
      chargeIncoming(bytes: number) {
        balance += bytes;
        charged += bytes;
        return charged > 2 * MIB ? new PipelineError('resource_exhausted', 'memory limit reached; retry later', 1000) : undefined;
      },
      releaseIncoming(bytes: number) {
        balance -= bytes;
      },
    };
    const stage = new RecordingStage();
    const receiver = await startReceiver(stage, { memory, receiveTimeoutMs: 0 });
    const upload = await partialUpload(receiver.port, 8 * MIB, 4 * MIB);
    assert.equal(upload.status, 429, 'retryable: the client sends it again later');
    assert.equal(stage.batches.length, 0);
    assert.equal(balance, 0, 'what was charged is released');
    assert.deepEqual(receiver.stats().refused, { memory_limit: 1 });

    charged = -Infinity; // room again
    const ok = await rawHttp(`http://127.0.0.1:${receiver.port}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeRequest(makeRequest({ spans: 1 })) });
    assert.equal(ok.status, 200);
    assert.equal(balance, 0);
  });

  it('takes a large body that declares its length whole and intact', async () => {
    const stage = new RecordingStage();
    const receiver = await startReceiver(stage, {});
    const body = encodeRequest(makeRequest({ spans: 2000 }));
    assert.ok(body.length > 256 * 1024);
    const res = await rawHttp(`http://127.0.0.1:${receiver.port}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length }, body });
    assert.equal(res.status, 200);
    assert.deepEqual(stage.batches[0].bytes, body);
  });

  it('rejects bad limits, naming each', () => {
    assert.throws(
      () => new OtlpHttpReceiver({ address: '127.0.0.1:0', next: new RecordingStage(), logger: silentLogger(), receiveTimeoutMs: -1, maxJsonElements: 0, maxConnections: -1 }),
      /receiveTimeoutMs.*maxJsonElements|maxConnections/,
    );
  });
});
