import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, it } from 'node:test';
import { TRACE_EXPORT_PATH } from '../../../src/otlp/protos';
import type { TracesConsumer } from '../../../src/pipeline/consumer';
import { OtlpGrpcReceiver } from '../../../src/receiver/otlpgrpc/index';
import { silentLogger } from '../../../src/telemetry/logger';
import { encodeRequest, makeRequest } from '../../helpers/otlpFixtures';
import { rawClient } from '../../helpers/rawGrpcClient';

const MIB = 1024 * 1024;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const held = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

const accept: TracesConsumer = { consumeTraces: async () => undefined };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(receiveTimeoutMs: number): Promise<OtlpGrpcReceiver> {
  const receiver = new OtlpGrpcReceiver({ address: '127.0.0.1:0', next: accept, logger: silentLogger(), receiveTimeoutMs });
  await receiver.start();
  cleanups.push(() => receiver.shutdown({ graceMs: 0 }));
  return receiver;
}

describe('the OTLP/gRPC receive deadline', () => {
  it('cancels a stream whose message has not fully arrived, and counts it; a finished request is never touched', async () => {
    const receiver = await start(500);
    const client = rawClient(receiver.port);
    cleanups.push(() => client.close());
    const session = http2.connect(`http://127.0.0.1:${receiver.port}`);
    cleanups.push(() => session.destroy());
    const stream = session.request({ ':method': 'POST', ':path': TRACE_EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers' });
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(1000, 1);
    stream.write(prefix);
    stream.on('error', () => undefined);
    stream.resume();
    const started = performance.now();
    const ok = await client.export(encodeRequest(makeRequest({ spans: 2 })));
    assert.equal(ok.code, 0);
    await new Promise((resolve) => stream.on('close', resolve));
    assert.equal(stream.rstCode, http2.constants.NGHTTP2_CANCEL);
    assert.ok(performance.now() - started >= 450);
    assert.deepEqual(receiver.stats().refused, { receive_timeout: 1 });
    assert.equal(receiver.stats().accepted, 1);
  });

  it('cancels, on demand (the memory limit), every request still receiving its message, whatever its age', async () => {
    const receiver = await start(60_000);
    const client = rawClient(receiver.port);
    cleanups.push(() => client.close());
    assert.equal((await client.export(encodeRequest(makeRequest({ spans: 2 })))).code, 0);
    const session = http2.connect(`http://127.0.0.1:${receiver.port}`);
    cleanups.push(() => session.destroy());
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(1000, 1);
    const streams = [1, 2].map(() => {
      const stream = session.request({ ':method': 'POST', ':path': TRACE_EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers' });
      stream.write(prefix);
      stream.on('error', () => undefined);
      stream.resume();
      return stream;
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(receiver.cancelReceiving(), 2);
    for (const stream of streams) {
      await new Promise((resolve) => (stream.closed ? resolve(undefined) : stream.on('close', resolve)));
      assert.equal(stream.rstCode, http2.constants.NGHTTP2_CANCEL);
    }
    assert.deepEqual(receiver.stats().refused, { memory_limit: 2 });
    assert.equal(receiver.stats().accepted, 1, 'the finished request was never touched');
  });

  it('holds nothing of finished requests until their deadline comes round', async () => {
    const receiver = await start(60_000);
    const client = rawClient(receiver.port);
    cleanups.push(() => client.close());
    const body = encodeRequest(makeRequest({ spans: 1000 }));
    const before = held();
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 10 }, () => client.export(body)));
    const grownMiB = (held() - before) / MIB;
    const sentMiB = (200 * body.length) / MIB;
    assert.ok(grownMiB < sentMiB / 2, `${grownMiB.toFixed(0)} MiB held after ${sentMiB.toFixed(0)} MiB of finished requests`);
  });
});
