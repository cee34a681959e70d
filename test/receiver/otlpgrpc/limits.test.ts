/**
 * The OTLP/gRPC receiver's limits, over real gRPC on port 0: concurrency cap,
 * memory admission, processing deadline, connection settings.
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { PipelineError } from '../../../src/errors';
import type { TraceBatch, TracesConsumer } from '../../../src/pipeline/consumer';
import { TRACE_EXPORT_PATH } from '../../../src/otlp/protos';
import { MemoryLimiter } from '../../../src/receiver/limits/index';
import { OtlpGrpcReceiver, STATUS_DETAILS_KEY, decodeRetryDelayMs } from '../../../src/receiver/otlpgrpc/index';
import { grpcServerOptions } from '../../../src/receiver/otlpgrpc/limits';
import type { OtlpGrpcReceiverOptions } from '../../../src/receiver/otlpgrpc/options';
import { silentLogger } from '../../../src/telemetry/logger';
import { encodeRequest, makeRequest } from '../../helpers/otlpFixtures';
import { type RawOutcome, rawClient } from '../../helpers/rawGrpcClient';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A next stage that holds every batch until `release()`. */
function heldStage() {
  const batches: TraceBatch[] = [];
  let releases: Array<() => void> = [];
  const stage: TracesConsumer & { batches: TraceBatch[]; release(): void } = {
    batches,
    consumeTraces(batch) {
      batches.push(batch);
      return new Promise<void>((resolve) => releases.push(resolve));
    },
    release() {
      for (const r of releases) r();
      releases = [];
    },
  };
  return stage;
}

async function start(next: TracesConsumer, options: Partial<OtlpGrpcReceiverOptions> = {}) {
  const receiver = new OtlpGrpcReceiver({ address: '127.0.0.1:0', next, logger: silentLogger(), ...options });
  await receiver.start();
  cleanups.push(() => receiver.shutdown({ graceMs: 0 }));
  const client = rawClient(receiver.port);
  cleanups.push(() => client.close());
  return { receiver, client };
}

function retryDelayOf(outcome: RawOutcome): number | undefined {
  const details = outcome.metadata.get(STATUS_DETAILS_KEY)[0];
  return Buffer.isBuffer(details) ? decodeRetryDelayMs(details) : undefined;
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
}

const request = () => encodeRequest(makeRequest({ spans: 2 }));

describe('OtlpGrpcReceiver limits', () => {
  it('refuses requests beyond maxConcurrentRequests with UNAVAILABLE and a RetryInfo, and accepts again once one finishes', async () => {
    const stage = heldStage();
    const { receiver, client } = await start(stage, { guard: { maxConcurrentRequests: 2, retryAfterMs: 250 } });
    const first = client.export(request());
    const second = client.export(request());
    await until(() => stage.batches.length === 2);

    const refused = await client.export(request());

    assert.equal(refused.code, grpc.status.UNAVAILABLE);
    assert.match(refused.details, /too many concurrent requests/);
    assert.equal(retryDelayOf(refused), 250);
    assert.equal(stage.batches.length, 2, 'the refused request never reached the next stage');
    stage.release();
    assert.deepEqual([(await first).code, (await second).code], [grpc.status.OK, grpc.status.OK]);
    const third = client.export(request());
    await until(() => stage.batches.length === 3);
    stage.release();
    assert.equal((await third).code, grpc.status.OK);
    assert.deepEqual(receiver.stats(), { inFlight: 0, accepted: 3, refused: { concurrency_limit: 1 } });
  });

  it('refuses every request with UNAVAILABLE and a RetryInfo while the memory limiter is over its soft limit', async () => {
    let usedMiB = 10;
    const memory = new MemoryLimiter({ limitBytes: 100 * 2 ** 20, readMemory: () => usedMiB * 2 ** 20, retryAfterMs: 2_000, logger: silentLogger() });
    const stage = heldStage();
    const { receiver, client } = await start({ consumeTraces: async (b) => void stage.batches.push(b) }, { guard: { admissions: [memory] } });

    usedMiB = 90;
    memory.check();
    const refused = await client.export(request());
    assert.equal(refused.code, grpc.status.UNAVAILABLE);
    assert.match(refused.details, /memory limit reached/);
    assert.equal(retryDelayOf(refused), 2_000);
    assert.equal(stage.batches.length, 0);

    usedMiB = 50;
    memory.check();
    assert.equal((await client.export(request())).code, grpc.status.OK);
    assert.deepEqual(receiver.stats().refused, { memory_limit: 1 });
  });

  it('while the memory limiter refuses, answers a request as it opens, before a byte of its message is sent', async () => {
    const memory = new MemoryLimiter({ limitBytes: 100 * 2 ** 20, readMemory: () => 90 * 2 ** 20, retryAfterMs: 2_000, logger: silentLogger() });
    memory.check();
    const { receiver } = await start(heldStage(), { guard: { admissions: [memory] } });
    const session = http2.connect(`http://127.0.0.1:${receiver.port}`);
    cleanups.push(() => session.destroy());
    const stream = session.request({ ':method': 'POST', ':path': TRACE_EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers' });
    stream.on('error', () => undefined);
    const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => stream.once('response', resolve));
    assert.equal(headers['grpc-status'], String(grpc.status.UNAVAILABLE));
    assert.match(String(headers['grpc-message']), /memory limit reached/);
    assert.equal(decodeRetryDelayMs(Buffer.from(String(headers[STATUS_DETAILS_KEY]), 'base64')), 2_000);
    await new Promise((resolve) => stream.once('close', resolve));
    assert.deepEqual(receiver.stats().refused, { memory_limit: 1 });
  });

  it('closes connections without traffic after idleTimeoutMs (silent TCP, idle HTTP/2), never one in use', async () => {
    const { receiver, client } = await start(heldStage(), { idleTimeoutMs: 600 });
    const silent = net.connect(receiver.port, '127.0.0.1');
    silent.on('error', () => undefined);
    const idle = http2.connect(`http://127.0.0.1:${receiver.port}`);
    idle.on('error', () => undefined);
    cleanups.push(() => {
      silent.destroy();
      idle.destroy();
    });
    const started = Date.now();
    const silentClosed = new Promise((resolve) => silent.once('close', resolve).resume());
    const idleClosed = new Promise((resolve) => idle.once('close', resolve));
    // Meanwhile a client in use sends every 200 ms, for twice the idle timeout, on one connection.
    for (let i = 0; i < 6; i++) {
      await client.export(request(), { timeoutMs: 300 }); // held by the stage: the client's deadline ends each call
      await new Promise((r) => setTimeout(r, 200));
    }
    await Promise.all([silentClosed, idleClosed]);
    assert.ok(Date.now() - started >= 500);
    assert.equal(receiver.connectionStats().idleClosed, 2, 'the silent and the idle connection; not the one in use');
  });

  it('answers DEADLINE_EXCEEDED to a request still being processed at requestTimeoutMs', async () => {
    const stage = heldStage();
    const { receiver, client } = await start(stage, { guard: { requestTimeoutMs: 50 } });
    const started = Date.now();

    const late = await client.export(request());

    assert.equal(late.code, grpc.status.DEADLINE_EXCEEDED);
    assert.match(late.details, /not processed within 50 ms/);
    assert.ok(Date.now() - started < 2_000);
    stage.release();
    assert.deepEqual(receiver.stats().refused, { deadline_exceeded: 1 });
  });

  it('serves with keepalive and connection-age settings, and rejects bad ones at construction', async () => {
    const { client } = await start(heldStage(), {
      connection: { keepaliveTimeMs: 60_000, keepaliveTimeoutMs: 5_000, maxConnectionIdleMs: 300_000, maxConnectionAgeMs: 600_000, maxConnectionAgeGraceMs: 30_000 },
      guard: { requestTimeoutMs: 20 },
    });
    assert.equal((await client.export(request())).code, grpc.status.DEADLINE_EXCEEDED, 'it serves');
    assert.throws(
      () => new OtlpGrpcReceiver({ address: '127.0.0.1:0', next: heldStage(), logger: silentLogger(), connection: { keepaliveTimeMs: 0, maxConnectionAgeMs: 1.5 } }),
      (err: Error) => /connection\.keepaliveTimeMs/.test(err.message) && /connection\.maxConnectionAgeMs/.test(err.message),
    );
  });

  it('maps the connection settings to grpc-js server options, leaving unset ones to grpc-js', () => {
    assert.deepEqual(grpcServerOptions({ keepaliveTimeMs: 1000, maxConnectionIdleMs: 2000 }), {
      'grpc.keepalive_time_ms': 1000,
      'grpc.max_connection_idle_ms': 2000,
    });
    assert.deepEqual(grpcServerOptions(undefined), {});
  });

  it('listens on an IPv6 address given in brackets', async (t) => {
    const receiver = new OtlpGrpcReceiver({ address: '[::1]:0', next: { consumeTraces: async () => undefined }, logger: silentLogger() });
    try {
      await receiver.start();
    } catch {
      t.skip('no IPv6 loopback here');
      return;
    } finally {
      cleanups.push(() => receiver.shutdown({ graceMs: 0 }));
    }
    const client = new grpc.Client(`[::1]:${receiver.port}`, grpc.credentials.createInsecure());
    cleanups.push(() => client.close());
    await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 2_000, (err) => (err ? reject(err) : resolve())));
  });

  it('a refusal of the next stage is counted under its reason: a full queue as queue_full, answered UNAVAILABLE', async () => {
    const { receiver, client } = await start({ consumeTraces: () => Promise.reject(new PipelineError('resource_exhausted', 'sending queue is full', 1000)) });
    assert.equal((await client.export(request())).code, grpc.status.UNAVAILABLE);
    assert.deepEqual(receiver.stats().refused, { queue_full: 1 });
  });
});
