/**
 * The circuit breaker in the running service, against the simulator's outage
 * switch: while Genesys is down, requests stop waiting the look-up budget;
 * cached users keep being enriched; the circuit closes by itself afterwards.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { type Harness, startHarness } from '../../helpers/enricherHarness';
import { kvString } from '../../helpers/otlpWire';
import { rawClient } from '../../helpers/rawGrpcClient';
import { adminGet, parseExposition } from '../../telemetry/support/exposition';
import { requestOf, spanBody } from '../../telemetry/support/wireSpans';

describe('the running service during a Genesys outage', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('fails misses at once while the circuit is open, keeps enriching cached users, and closes after recovery', async () => {
    const budgetMs = 4000;
    h = await startHarness({
      env: { ENRICHER_LOOKUP_BUDGET_MS: String(budgetMs), ENRICHER_GENESYS_BREAKER_FAILURES: '2', ENRICHER_GENESYS_BREAKER_COOLDOWN_MS: '400' },
    });
    const raw = rawClient(h.service.grpcPort);
    const [known, a, b, c, d] = h.sim.org.active;
    const send = async (run: string, ...ids: string[]) => {
      const started = performance.now();
      const outcome = await raw.export(requestOf(...ids.map((id, i) => spanBody(`${run}-${i}`, kvString('external.user.id', id), kvString('test.run', run)))));
      assert.equal(outcome.code, grpc.status.OK);
      return performance.now() - started;
    };
    const lookupOf = (run: string) =>
      h!.sink
        .spans()
        .filter((s) => s.attributes['test.run'] === run)
        .sort((x, y) => x.name.localeCompare(y.name))
        .map((s) => s.attributes['genesys.user.lookup'] ?? s.attributes['genesys.user.state']);
    const circuitState = async () => parseExposition((await adminGet(h!.service.adminPort, '/metrics')).body).value('enricher_genesys_circuit_state');
    try {
      await send('warm', known);
      h.sim.faults.outage = true;
      await send('fail-1', a); // each waits for Genesys' retries, then is forwarded marked failed
      await send('fail-2', b);
      assert.equal(await circuitState(), 2, 'open after two failed bulk look-ups');
      // Held for their look-ups until the circuit opened; then they left at once, marked failed.
      await h.sink.waitForSpans(3);
      assert.deepEqual([...lookupOf('fail-1'), ...lookupOf('fail-2')], ['failed', 'failed']);
      const bulkCalls = h.sim.stats().byRoute['GET /api/v2/users'];

      const tookMs = await send('open', known, c);

      assert.ok(tookMs < budgetMs / 4, `answered in ${tookMs.toFixed(0)} ms, without waiting the ${budgetMs} ms budget`);
      assert.equal(h.sim.stats().byRoute['GET /api/v2/users'], bulkCalls, 'Genesys was not called');
      await h.sink.waitForSpans(5);
      assert.deepEqual(lookupOf('open'), ['active', 'failed'], 'the cached user is still enriched');

      h.sim.faults.outage = false;
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(await circuitState(), 1, 'half-open after the cool-down');
      await send('recovered', d);
      await h.sink.waitForSpans(6);
      assert.deepEqual(lookupOf('recovered'), ['active'], 'the probe went through');
      assert.equal(await circuitState(), 0, 'closed again by itself');
      const m = parseExposition((await adminGet(h.service.adminPort, '/metrics')).body);
      // Held batches retry their look-ups: one that wakes after the (short, 400 ms) cool-down is a probe
      // that can open the circuit again, and one may meet the open circuit once before it sees it open.
      assert.ok(m.value('enricher_genesys_circuit_opened_total')! >= 1);
      assert.ok(m.value('enricher_genesys_circuit_rejected_ids_total')! >= 1);
      assert.ok(m.value('enricher_genesys_requests_total', { status: '503' })! >= 2);
    } finally {
      raw.close();
    }
  });
});
