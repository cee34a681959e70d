/**
 * The memory limiter of the running service, on the process's real memory
 * (issue 16, finding 2): it refuses while the memory is taken, and admits
 * again within seconds once the memory is released, without anybody calling
 * the garbage collector for it. Alone in its file: it measures this process.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { TRACE_EXPORT_PATH } from '../../src/otlp/protos';
import { encodeRequest, makeRequest } from '../helpers/otlpFixtures';
import { startHarness, type Harness } from '../helpers/enricherHarness';
import { rawClient, type RawClient } from '../helpers/rawGrpcClient';

const MIB = 1024 * 1024;

function readyz(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > withinMs) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return performance.now() - started;
}

describe('the memory limiter of the running service', () => {
  let h: Harness;
  let raw: RawClient;
  const request = encodeRequest(makeRequest({ spans: 2, withUserIdRatio: 0 }));
  before(async () => {
    const m = process.memoryUsage();
    // The soft limit 120 MiB above what the process holds now (heap + external).
    const limitMiB = Math.ceil((m.heapUsed + m.external) / MIB) + 120 + 40;
    h = await startHarness({
      env: { ENRICHER_MEMORY_LIMIT_MIB: String(limitMiB), ENRICHER_MEMORY_SPIKE_MIB: '40', ENRICHER_MEMORY_CHECK_INTERVAL_MS: '200', ENRICHER_LOOKUP_BUDGET_MS: '2000' },
    });
    raw = rawClient(h.service.grpcPort);
  });
  after(async () => {
    raw.close();
    await h.close();
  });

  it('refuses while memory is taken, and admits again within seconds once it is released', async (t) => {
    assert.equal((await raw.export(request)).code, grpc.status.OK);
    let burst: Buffer[] | undefined = Array.from({ length: 20 }, () => Buffer.alloc(10 * MIB, 1)); // 200 MiB of Buffers
    await waitFor('/readyz 503', async () => (await readyz(h.service.adminPort)) === 503, 5000);
    const refused = await raw.export(request);
    assert.equal(refused.code, grpc.status.UNAVAILABLE);
    assert.match(refused.details, /memory limit reached/);
    assert.equal(burst.length, 20);

    burst = undefined; // released; only the limiter's own collection can notice
    const tookMs = await waitFor('/readyz 200 again', async () => (await readyz(h.service.adminPort)) === 200, 15_000);
    t.diagnostic(`admitting again ${tookMs.toFixed(0)} ms after the memory was released`);
    assert.equal((await raw.export(request)).code, grpc.status.OK);
  });

  it('cancels OTLP/gRPC uploads still arriving once memory reaches the hard limit, long before their receive deadline', async (t) => {
    const session = http2.connect(`http://127.0.0.1:${h.service.grpcPort}`);
    const part = Buffer.alloc(10 * MIB, 0x0a);
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(12 * MIB, 1); // 12 MiB declared, 10 MiB sent: never complete
    const started = performance.now();
    try {
      const closed = Array.from({ length: 24 }, () => {
        const stream = session.request({ ':method': 'POST', ':path': TRACE_EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers' });
        stream.on('error', () => undefined);
        stream.write(prefix);
        stream.write(part);
        stream.resume();
        return new Promise<number>((resolve) => stream.on('close', () => resolve(stream.rstCode)));
      });
      const codes = await Promise.all(closed);
      const tookMs = performance.now() - started;
      const cancelled = codes.filter((c) => c === http2.constants.NGHTTP2_CANCEL).length;
      t.diagnostic(`240 MiB of unfinished uploads ended after ${tookMs.toFixed(0)} ms: ${cancelled} cancelled mid-message, ${codes.length - cancelled} refused as they opened`);
      assert.ok(cancelled > 0, 'uploads already arriving are cancelled');
      assert.ok(codes.every((c) => c === http2.constants.NGHTTP2_CANCEL || c === http2.constants.NGHTTP2_NO_ERROR));
      assert.ok(tookMs < 10_000, 'well before the 15 s receive deadline');
    } finally {
      session.destroy();
    }
    await waitFor('/readyz 200 again', async () => (await readyz(h.service.adminPort)) === 200, 15_000);
    assert.equal((await raw.export(request)).code, grpc.status.OK);
  });
});
