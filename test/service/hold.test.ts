/**
 * Names on every span, however slow Genesys is: a request whose users are not
 * all resolved within the look-up budget is answered at once and held inside
 * the enricher until its look-ups are answered (429s waited out, retried), then
 * delivered enriched. Through the real OpenTelemetry SDK as the client and the
 * real Genesys SDK against the simulator with realistic latency.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { type Harness, startHarness } from '../helpers/enricherHarness';
import { mulberry32, randomUserId } from '../helpers/otlpFixtures';
import { addUsers as addSimUsers } from '../helpers/simulatorUsers';
import { adminGet, parseExposition } from '../telemetry/support/exposition';

const SPANS_PER_USER = 6;

/** Adds `n` users to the simulator's org (every fifth inactive); returns their ids. */
function addUsers(sim: Harness['sim'], n: number, seed: number): string[] {
  return addSimUsers(sim, n, { seed, label: `Held Agent ${seed}`, stateOf: (i) => (i % 5 === 4 ? 'inactive' : 'active') });
}

/** Ends SPANS_PER_USER spans per id, flushes, and returns how long the client's export call took, ms. */
async function exportRound(client: ReturnType<Harness['client']>, ids: readonly string[], round: string): Promise<number> {
  for (const id of ids) {
    for (let k = 0; k < SPANS_PER_USER; k++) client.tracer.startSpan(`op-${k}`, { attributes: { 'external.user.id': id, 'test.round': round } }).end();
  }
  const started = performance.now();
  await client.flush(); // rejects if the enricher refused the request
  return performance.now() - started;
}

async function metrics(h: Harness) {
  return parseExposition((await adminGet(h.service.adminPort, '/metrics')).body);
}

describe('holding spans while Genesys is slow or throttling', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('names every span of every existing user with a cold cache, Genesys at 300 ms and throttling every 4th call (Retry-After 2 s), and answers clients within the budget', async () => {
    const budgetMs = 200;
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: String(budgetMs) } });
    h.sim.faults.latencyMs = 300;
    h.sim.faults.rateLimitEvery = { every: 4, retryAfterSeconds: 2 };
    const client = h.client('agent-desktop');
    const rounds = 12;
    const perRound = 50;
    const users = addUsers(h.sim, rounds * perRound, 0x401d);
    const unknown = Array.from({ length: rounds }, (_, i) => randomUserId(mulberry32(0xdead + i)));
    const exportMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      exportMs.push(await exportRound(client, [...users.slice(r * perRound, (r + 1) * perRound), unknown[r]!], `r${r}`));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 500 - (performance.now() - started))));
    }
    const expected = rounds * (perRound + 1) * SPANS_PER_USER;
    const spans = await h.sink.waitForSpans(expected, 60_000);

    assert.equal(spans.length, expected, 'nothing lost, nothing duplicated');
    assert.equal(new Set(spans.map((s) => s.spanId)).size, expected, 'each span once');
    const wrong: string[] = [];
    for (const span of spans) {
      const id = String(span.attributes['external.user.id']);
      const user = h.sim.getUser(id);
      if (!user) {
        if (span.attributes['genesys.user.lookup'] !== 'not_found') wrong.push(`${id}: ${String(span.attributes['genesys.user.lookup'])}, want not_found`);
      } else if (span.attributes['user.full_name'] !== user.name || span.attributes['genesys.user.state'] !== user.state) {
        wrong.push(`${id}: ${String(span.attributes['user.full_name'] ?? span.attributes['genesys.user.lookup'])}`);
      }
    }
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} spans not named as Genesys says`);
    assert.ok(h.sim.stats().byStatus['429']! >= 1, 'Genesys did throttle');
    const slowest = Math.max(...exportMs);
    // The budget plus queueing: what matters is that no client waited for a Retry-After (2 s) or the hold.
    assert.ok(slowest < budgetMs + 1500, `every export call answered within the budget plus queueing (slowest ${slowest.toFixed(0)} ms)`);
    const m = await metrics(h);
    assert.ok(m.value('enricher_held_batches_total')! >= 1, 'some batches were held');
    assert.equal(m.value('enricher_hold_batches'), 0, 'none held any more');
    assert.equal(m.value('enricher_spans_enriched_total', { outcome: 'failed' }), 0);
    assert.ok(m.value('enricher_hold_duration_seconds_count')! >= 1);
  });

  it('releases the oldest held batch, marked failed and counted, when the hold is full, and never refuses the client', async () => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '100', ENRICHER_LOOKUP_HOLD_MAX_SPANS: String(SPANS_PER_USER * 2) } });
    h.sim.faults.latencyMs = 1500;
    const client = h.client();
    const [first, second] = [addUsers(h.sim, 2, 1), addUsers(h.sim, 2, 2)];
    await exportRound(client, first, 'oldest'); // 12 spans: the hold is full
    await exportRound(client, second, 'newer'); // 12 more: the oldest must make room

    const spans = await h.sink.waitForSpans(4 * SPANS_PER_USER, 15_000);
    const of = (round: string) => spans.filter((s) => s.attributes['test.round'] === round);
    assert.deepEqual([...new Set(of('oldest').map((s) => s.attributes['genesys.user.lookup']))], ['failed'], 'released with what was known');
    assert.ok(of('newer').every((s) => typeof s.attributes['user.full_name'] === 'string'), 'the newer batch waited and was named');
    const m = await metrics(h);
    assert.equal(m.value('enricher_hold_overflows_total'), 1);
    assert.equal(m.value('enricher_unresolved_spans_total', { reason: 'overflow' }), 2 * SPANS_PER_USER);
  });

  it('with ENRICHER_LOOKUP_HOLD_MS=0, forwards unresolved spans marked failed at the budget, as before the hold existed', async () => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '100', ENRICHER_LOOKUP_HOLD_MS: '0' } });
    h.sim.faults.latencyMs = 1000;
    const client = h.client();
    await exportRound(client, addUsers(h.sim, 1, 3), 'no-hold');
    const spans = await h.sink.waitForSpans(SPANS_PER_USER, 900);
    assert.ok(spans.every((s) => s.attributes['genesys.user.lookup'] === 'failed'));
    assert.equal((await metrics(h)).value('enricher_unresolved_spans_total', { reason: 'budget_expired' }), SPANS_PER_USER);
  });
});
