import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { sendSpans, startHarness, type Harness } from '../helpers/enricherHarness';
import { rawClient } from '../helpers/rawGrpcClient';
import { encodeRequest, makeRequest } from '../helpers/otlpFixtures';

const attrs = (h: Harness, run: string) =>
  h.sink
    .spans()
    .filter((s) => s.attributes['test.run'] === run)
    .map((s) => s.attributes);

describe('the enricher when things go wrong', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('rides out a 429 burst: waits Retry-After, then enriches', async () => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '5000' } });
    h.sim.faults.rateLimitBurst = { count: 2, retryAfterSeconds: 1 };
    await sendSpans(h.client(), [h.sim.org.active[0]], { 'test.run': '429' });
    await h.sink.waitForSpans(1, 8000);
    assert.equal(attrs(h, '429')[0]['user.full_name'], h.sim.getUser(h.sim.org.active[0])!.name);
    const stats = h.sim.stats();
    assert.equal(stats.byStatus['429'], 2, 'the burst was met');
    assert.equal(stats.byRoute['GET /api/v2/users'], 3, 'two refused, one answered');
  });

  it('with the hold off, never keeps spans longer than the look-up budget while Genesys throttles, and enriches once it answers', async () => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '100', ENRICHER_LOOKUP_HOLD_MS: '0' } });
    h.sim.faults.rateLimitBurst = { count: 1, retryAfterSeconds: 1 };
    const id = h.sim.org.active[3];
    const client = h.client();
    await sendSpans(client, [id], { 'test.run': 'throttled' });
    await h.sink.waitForSpans(1);
    assert.equal(attrs(h, 'throttled')[0]['genesys.user.lookup'], 'failed', 'forwarded before Genesys answered');
    // The look-up went on in the background; once it lands, spans are enriched.
    await waitUntil(() => h!.sim.stats().byStatus['200'] >= 2); // token + the retried bulk call
    await sendSpans(client, [id], { 'test.run': 'after-throttle' });
    await h.sink.waitForSpans(2);
    assert.equal(attrs(h, 'after-throttle')[0]['genesys.user.state'], 'active');
  });

  it('renews an access token that expired mid-run and carries on', async () => {
    h = await startHarness();
    const client = h.client();
    await sendSpans(client, [h.sim.org.active[0]], { 'test.run': 'before-expiry' });
    await h.sink.waitForSpans(1);
    h.sim.expireAllTokens();
    h.sim.resetStats();
    await sendSpans(client, [h.sim.org.inactive[1]], { 'test.run': 'after-expiry' });
    await h.sink.waitForSpans(2);
    assert.equal(attrs(h, 'after-expiry')[0]['genesys.user.state'], 'inactive');
    const stats = h.sim.stats();
    assert.equal(stats.byRoute['POST /oauth/token'], 1, 'one renewal');
    assert.equal(stats.byStatus['401'], 1, 'one refused call, retried once');
  });

  it('forwards spans marked failed once Genesys is known to be down (circuit open), long before the hold ends, and keeps serving cached users', async () => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '150', ENRICHER_LOOKUP_HOLD_MS: '60000', ENRICHER_GENESYS_BREAKER_FAILURES: '2' } });
    const client = h.client();
    const known = h.sim.org.active[4];
    await sendSpans(client, [known], { 'test.run': 'warm' });
    await h.sink.waitForSpans(1);
    h.sim.faults.outage = true;
    const sent = performance.now();
    await sendSpans(client, [known, h.sim.org.active[5], h.sim.org.inactive[2]], { 'test.run': 'outage' });
    await h.sink.waitForSpans(4, 20_000);
    const tookMs = performance.now() - sent;
    assert.ok(tookMs < 20_000, `released after ${tookMs.toFixed(0)} ms: when the circuit opened, not when the 60 s hold ran out`);
    const out = attrs(h, 'outage');
    assert.equal(out.length, 3, 'nothing lost');
    assert.deepEqual(out.map((a) => a['genesys.user.lookup'] ?? a['genesys.user.state']).sort(), ['active', 'failed', 'failed']);
  });

  it('loses nothing while the backend is down for a while', async () => {
    h = await startHarness();
    const client = h.client();
    await h.sink.stop();
    for (let i = 0; i < 5; i++) await sendSpans(client, [h.sim.org.active[i], undefined], { 'test.run': 'backend-down', batch: i });
    await delay(800);
    await h.sink.restart();
    await h.sink.waitForSpans(10, 10_000);
    const got = attrs(h, 'backend-down');
    assert.equal(got.length, 10);
    assert.equal(got.filter((a) => a['genesys.user.state'] === 'active').length, 5);
  });

  it('answers clients at the pace of a slow but working backend (backpressure), and loses nothing', async () => {
    h = await startHarness({ env: { ENRICHER_EXPORT_CONCURRENCY: '1', ENRICHER_EXPORT_BACKPRESSURE_MS: '20000' } });
    const raw = rawClient(h.service.grpcPort);
    const request = (seed: number) => encodeRequest(makeRequest({ spans: 2, withUserIdRatio: 1, userIds: [h!.sim.org.active[0]], seed }));
    try {
      h.sink.hold();
      assert.equal((await raw.export(request(1), { timeoutMs: 20_000 })).code, grpc.status.OK, 'taken by the exporter at once');
      let answered = false;
      const second = raw.export(request(2), { timeoutMs: 20_000 }).then((out) => ((answered = true), out));
      await delay(300);
      assert.equal(answered, false, 'waits while the first export is in flight');
      h.sink.release();
      assert.equal((await second).code, grpc.status.OK);
      await h.sink.waitForSpans(4);
      const metrics = await (await fetch(`http://127.0.0.1:${h.service.adminPort}/metrics`)).text();
      assert.match(metrics, /^enricher_exporter_backpressured_batches_total\{exporter="otlp"\} 1$/m);
    } finally {
      raw.close();
    }
  });

  it('answers garbage with INVALID_ARGUMENT and keeps serving', async () => {
    h = await startHarness();
    const raw = rawClient(h.service.grpcPort);
    try {
      const garbage = [Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), Buffer.from('not protobuf at all'), Buffer.from([0x0b])];
      for (const g of garbage) {
        const out = await raw.export(g);
        assert.equal(out.code, grpc.status.INVALID_ARGUMENT, `for ${g.toString('hex')}`);
      }
      const valid = encodeRequest(makeRequest({ spans: 4, withUserIdRatio: 0.5, userIds: [h.sim.org.active[0]], seed: 7 }));
      assert.equal((await raw.export(valid)).code, grpc.status.OK);
      await h.sink.waitForSpans(4);
    } finally {
      raw.close();
    }
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitUntil(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await delay(20);
  }
}
