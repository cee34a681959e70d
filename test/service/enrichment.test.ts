import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sendSpans, startHarness, type Harness } from '../helpers/enricherHarness';
import type { SinkSpan } from '../helpers/grpcSink';

/** The spans of one test run, by span name. */
function byName(spans: SinkSpan[], run: string): Map<string, SinkSpan> {
  return new Map(spans.filter((s) => s.attributes['test.run'] === run).map((s) => [s.name, s]));
}

describe('the enricher between the OpenTelemetry SDK and Jaeger', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '2000' } });
  });
  after(() => h.close());

  it('stamps spans of active, inactive and deleted users with who they are', async () => {
    const { active, inactive, deleted } = h.sim.org;
    const ids = [active[0], inactive[0], deleted[0]];
    await sendSpans(h.client(), ids, { 'test.run': 'states' });
    const spans = byName(await h.sink.waitForSpans(3), 'states');
    ids.forEach((id, i) => {
      const user = h.sim.getUser(id)!;
      const attrs = spans.get(`op-${i}`)!.attributes;
      assert.equal(attrs['user.full_name'], user.name);
      assert.equal(attrs['user.name'], user.username);
      assert.equal(attrs['user.email'], user.email);
      assert.equal(attrs['genesys.user.state'], user.state);
      assert.equal(attrs['genesys.user.division'], user.division.name);
      assert.equal(attrs['genesys.user.lookup'], undefined);
      assert.equal(attrs['external.user.id'], id, 'the id itself stays');
    });
    assert.deepEqual(
      ids.map((_, i) => spans.get(`op-${i}`)!.attributes['genesys.user.state']),
      ['active', 'inactive', 'deleted'],
    );
  });

  it('marks unknown ids not_found, and never sends ids that are not Genesys ids to Genesys', async () => {
    h.sim.resetStats();
    const unknown = h.sim.org.unknown[0];
    const malformed = ['agent-42', '', 'DROP TABLE users', `${h.sim.org.active[1]}x`];
    const sinkBefore = h.sink.spans().length;
    await sendSpans(h.client(), [unknown, ...malformed], { 'test.run': 'unknown' });
    const spans = byName(await h.sink.waitForSpans(sinkBefore + 5), 'unknown');
    for (let i = 0; i < 5; i++) {
      assert.equal(spans.get(`op-${i}`)!.attributes['genesys.user.lookup'], 'not_found', `span op-${i}`);
      assert.equal(spans.get(`op-${i}`)!.attributes['user.full_name'], undefined);
    }
    const asked = h.sim.stats().bulkIdBatches.flat();
    assert.deepEqual(asked, [unknown], 'only the well-formed id was looked up');
  });

  it('passes spans without the id through untouched', async () => {
    const sinkBefore = h.sink.spans().length;
    await sendSpans(h.client(), [undefined, undefined], { 'test.run': 'no-id', 'http.method': 'GET' });
    const spans = byName(await h.sink.waitForSpans(sinkBefore + 2), 'no-id');
    for (const s of spans.values()) {
      assert.deepEqual(Object.keys(s.attributes).sort(), ['http.method', 'span.index', 'test.run']);
    }
  });

  it('never overwrites an attribute the sender already set', async () => {
    const sinkBefore = h.sink.spans().length;
    const id = h.sim.org.active[2];
    await sendSpans(h.client(), [id], { 'test.run': 'preset', 'user.full_name': 'Set By App', 'genesys.user.state': 'custom' });
    const span = byName(await h.sink.waitForSpans(sinkBefore + 1), 'preset').get('op-0')!;
    assert.equal(span.attributes['user.full_name'], 'Set By App');
    assert.equal(span.attributes['genesys.user.state'], 'custom');
    assert.equal(span.attributes['user.email'], h.sim.getUser(id)!.email, 'the missing ones are still added');
  });

  it('asks Genesys in bulk: one call per 100 distinct users, none for cached ones', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => {
      const id = `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`;
      h.sim.putUser({ id, name: `Agent ${i}`, username: `agent${i}@example.com`, email: `agent${i}@example.com`, state: 'active', division: { id: 'd1', name: 'Home' } });
      return id;
    });
    h.sim.resetStats();
    const sinkBefore = h.sink.spans().length;
    const spanIds = ids.flatMap((id) => [id, id]); // every user on two spans
    await sendSpans(h.client(), spanIds, { 'test.run': 'bulk' });
    const spans = byName(await h.sink.waitForSpans(sinkBefore + spanIds.length), 'bulk');
    assert.equal(spans.get('op-299')!.attributes['user.full_name'], 'Agent 149');
    const stats = h.sim.stats();
    assert.equal(stats.byRoute['GET /api/v2/users'], 2, '150 users: two bulk calls');
    assert.deepEqual(stats.bulkIdBatches.flat().sort(), [...ids].sort(), 'each id asked for once');
    assert.equal(stats.byRoute['GET /api/v2/users/{id}'] ?? 0, 0, 'no per-id calls');

    h.sim.resetStats();
    await sendSpans(h.client(), spanIds, { 'test.run': 'bulk-again' });
    await h.sink.waitForSpans(sinkBefore + 2 * spanIds.length);
    assert.equal(h.sim.stats().total, 0, 'a warm cache makes no Genesys calls');
  });
});
