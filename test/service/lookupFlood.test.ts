/**
 * Hostile and unlucky look-up traffic: ids Genesys has never heard of, sent to
 * make the enricher spend Genesys' rate limit or fill its look-up queue. The
 * process's Genesys budget (ENRICHER_GENESYS_MAX_RPM, below Genesys' 300 a
 * minute) means the enricher never meets the limit itself, and real users
 * keep being named.
 */
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { type Harness, startHarness } from '../helpers/enricherHarness';
import { mulberry32, randomUserId } from '../helpers/otlpFixtures';
import { kvString, message } from '../helpers/otlpWire';
import { rawClient } from '../helpers/rawGrpcClient';
import { requestOf, spanBody } from '../telemetry/support/wireSpans';

describe('look-up floods', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers a flood of one random id per request without causing a single 429 from a Genesys that enforces 300 a minute, and names real users meanwhile', async (t) => {
    h = await startHarness({ simulator: { rateLimitPerMinute: 300 }, env: { ENRICHER_LOOKUP_BUDGET_MS: '200' } });
    h.sim.faults.latencyMs = 100;
    const raw = rawClient(h.service.grpcPort);
    const rng = mulberry32(0xf100d);
    const real = h.sim.org.active.slice(0, 10);
    try {
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < 300; i++) {
        // 50 requests a second, each naming one id nobody has: 300 distinct ids in 6 s.
        sends.push(raw.export(requestOf(spanBody(`flood-${i}`, kvString('external.user.id', randomUserId(rng))))));
        if (i % 30 === 29) sends.push(raw.export(requestOf(spanBody(`real-${i}`, kvString('external.user.id', real[(i - 29) / 30]!)))));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const outcomes = (await Promise.all(sends)) as { code: grpc.status }[];
      assert.ok(outcomes.every((o) => o.code === grpc.status.OK), 'every request accepted');
      const spans = await h.sink.waitForSpans(310, 60_000);
      const realSpans = spans.filter((s) => s.name.startsWith('real-'));
      assert.deepEqual(
        realSpans.map((s) => s.attributes['user.full_name']).sort(),
        real.map((id) => h!.sim.getUser(id)!.name).sort(),
        'real users named',
      );
      assert.ok(spans.filter((s) => s.name.startsWith('flood-')).every((s) => s.attributes['genesys.user.lookup'] === 'not_found'));
      const stats = h.sim.stats();
      t.diagnostic(`${stats.byRoute['GET /api/v2/users']} bulk calls, ${stats.byStatus['429'] ?? 0} answered 429`);
      assert.equal(stats.byStatus['429'] ?? 0, 0, 'the enricher never met Genesys\' rate limit');
      assert.ok(stats.byRoute['GET /api/v2/users']! < 60, `few, full calls: ${stats.byRoute['GET /api/v2/users']} bulk calls for 310 ids`);
    } finally {
      raw.close();
    }
  });

  it('takes a request naming 100,000 new ids without stalling the event loop or crowding out another request\'s user', async (t) => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '200' } });
    const raw = rawClient(h.service.grpcPort);
    const rng = mulberry32(0x100c);
    const spans = Array.from({ length: 100_000 }, (_, i) => spanBody(`bulk-${i}`, kvString('external.user.id', randomUserId(rng))));
    // ResourceSpans{ScopeSpans{spans}}, built without spreading 100,000 arguments.
    const flood = message(1, message(2, Buffer.concat(spans.map((span) => message(2, span)))));
    const loop = monitorEventLoopDelay({ resolution: 10 });
    try {
      loop.enable();
      const started = performance.now();
      const answered = raw.export(flood, { timeoutMs: 60_000 });
      const realUser = h.sim.org.active[7]!;
      await new Promise((resolve) => setTimeout(resolve, 50));
      const real = await raw.export(requestOf(spanBody('real', kvString('external.user.id', realUser))));
      assert.equal(real.code, grpc.status.OK);
      assert.equal((await answered).code, grpc.status.OK);
      const answeredMs = performance.now() - started;
      const delivered = await h.sink.waitForSpans(1, 10_000);
      loop.disable();
      const named = delivered.find((s) => s.name === 'real');
      assert.equal(named?.attributes['user.full_name'], h.sim.getUser(realUser)!.name, 'the other request\'s user named, not queued behind 100,000 ids');
      const maxBlockMs = loop.max / 1e6;
      t.diagnostic(`100,000-id request answered in ${answeredMs.toFixed(0)} ms; longest event-loop block ${maxBlockMs.toFixed(0)} ms`);
      assert.ok(maxBlockMs < 1500, `the event loop was never blocked for long (longest ${maxBlockMs.toFixed(0)} ms)`);
      assert.ok(answeredMs < 10_000, `the big request was answered in ${answeredMs.toFixed(0)} ms`);
    } finally {
      loop.disable();
      raw.close();
    }
  });
});
