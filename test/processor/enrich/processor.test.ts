/**
 * The enrichment stage on its own: a real wire codec, a scripted directory,
 * and a next stage that keeps what it gets. What it must do per request:
 * ask the directory once per distinct id, wait for misses at most the
 * budget, never overwrite what the sender set, and count every outcome.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GenesysUser, IdentityResolver, Resolution } from '../../../src/directory/types';
import { normalizeUserId } from '../../../src/directory/userId';
import { exportRequestType } from '../../../src/otlp/protos';
import { WireTraceCodec } from '../../../src/processor/codec';
import { ALL_ENRICHMENT_KEYS, ENRICHMENT_KEYS, EnrichmentProcessor } from '../../../src/processor/enrich';
import { BufferPool } from '../../../src/pipeline/bufferPool';
import type { TraceBatch } from '../../../src/pipeline/consumer';
import { silentLogger } from '../../../src/telemetry/logger';
import { flattenSpans } from '../../helpers/grpcSink';
import { SOURCE_KEY, encodeRequest, type KeyValueObject, type SpanObject } from '../../helpers/otlpFixtures';

const ANN = '0b6f3a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const BOB = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

function user(id: string, name: string): GenesysUser {
  return { id, name, username: `${name.toLowerCase()}@example.com`, email: `${name.toLowerCase()}@example.com`, state: 'active', division: { id: 'd1', name: 'Home' } };
}

/** A directory answering from `known` (found) and counting every question; `resolve` waits for `release()` when gated. */
class ScriptedResolver implements IdentityResolver {
  readonly peeked: string[] = [];
  readonly resolved: string[][] = [];
  private readonly cached = new Map<string, Resolution>();
  private gate: Promise<void> = Promise.resolve();
  release: () => void = () => undefined;

  constructor(
    cached: readonly GenesysUser[],
    private readonly onResolve: (id: string) => Resolution = () => ({ status: 'not_found' }),
  ) {
    for (const u of cached) this.cached.set(u.id, { status: 'found', user: u });
  }

  /** Makes `resolve` wait until `release()` is called. */
  hold(): void {
    this.gate = new Promise((r) => (this.release = r));
  }

  peek(id: string): Resolution | undefined {
    this.peeked.push(id);
    return this.cached.get(id);
  }

  async resolve(ids: readonly string[]): Promise<ReadonlyMap<string, Resolution>> {
    this.resolved.push([...ids]);
    await this.gate;
    return new Map(ids.map((id) => [id, this.onResolve(id)]));
  }
}

function setup(resolver: IdentityResolver, lookupBudgetMs = 1000) {
  const forwarded: TraceBatch[] = [];
  const processor = new EnrichmentProcessor({
    codec: new WireTraceCodec({ sourceKey: SOURCE_KEY, watchedKeys: ALL_ENRICHMENT_KEYS }),
    resolver,
    normalizeId: normalizeUserId,
    next: { consumeTraces: async (b) => void forwarded.push(b) },
    lookupBudgetMs,
    logger: silentLogger(),
  });
  const spansOut = () => {
    const type = exportRequestType();
    return forwarded.flatMap((b) => flattenSpans(type.toObject(type.decode(b.bytes), { longs: String, defaults: false })));
  };
  return { processor, forwarded, spansOut };
}

function spanWith(name: string, attributes: KeyValueObject[]): SpanObject {
  return { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name, attributes };
}

function idSpan(name: string, id: string, extra: KeyValueObject[] = []): SpanObject {
  return spanWith(name, [{ key: SOURCE_KEY, value: { stringValue: id } }, ...extra]);
}

function batchOf(spans: SpanObject[]): TraceBatch {
  return { bytes: encodeRequest({ resourceSpans: [{ scopeSpans: [{ spans }] }] }), spanCount: 0 };
}

describe('EnrichmentProcessor', () => {
  it('asks the directory once per distinct id, however many spans carry it (and whatever its letter case)', async () => {
    const resolver = new ScriptedResolver([user(ANN, 'Ann'), user(BOB, 'Bob')]);
    const { processor, spansOut } = setup(resolver);
    const spans = Array.from({ length: 40 }, (_, i) => idSpan(`s${i}`, i % 3 === 0 ? BOB : i % 3 === 1 ? ANN : ANN.toUpperCase()));
    await processor.consumeTraces(batchOf(spans));
    assert.deepEqual(resolver.peeked.sort(), [ANN, ANN, BOB], 'one probe per distinct raw value');
    assert.equal(resolver.resolved.length, 0);
    const out = spansOut();
    assert.equal(out.length, 40);
    for (const s of out) assert.equal(s.attributes[ENRICHMENT_KEYS.fullName], s.attributes[SOURCE_KEY] === BOB ? 'Bob' : 'Ann');
    assert.equal(processor.stats.enriched, 40);
  });

  it('normalises each distinct source value once, across requests, and still peeks the cache every request', async () => {
    const resolver = new ScriptedResolver([user(ANN, 'Ann')]);
    const normalized: string[] = [];
    const processor = new EnrichmentProcessor({
      codec: new WireTraceCodec({ sourceKey: SOURCE_KEY, watchedKeys: ALL_ENRICHMENT_KEYS }),
      resolver,
      normalizeId: (raw) => (normalized.push(raw), normalizeUserId(raw)),
      next: { consumeTraces: async () => undefined },
      lookupBudgetMs: 1000,
      logger: silentLogger(),
    });
    for (let request = 0; request < 3; request++) await processor.consumeTraces(batchOf([idSpan('a', ANN), idSpan('b', ANN.toUpperCase()), idSpan('c', 'not-an-id')]));
    assert.deepEqual(normalized.sort(), [ANN, ANN.toUpperCase(), 'not-an-id'].sort());
    assert.equal(resolver.peeked.length, 6, 'two ids per request: the cache decides afresh each time');
    assert.deepEqual([processor.stats.enriched, processor.stats.notFound], [6, 3]);
  });

  it('passes a request without sites on as the very same bytes', async () => {
    const resolver = new ScriptedResolver([]);
    const { processor, forwarded } = setup(resolver);
    const batch = batchOf([spanWith('plain', [{ key: 'http.method', value: { stringValue: 'GET' } }])]);
    await processor.consumeTraces(batch);
    assert.equal(forwarded[0]!.bytes, batch.bytes);
    assert.equal(forwarded[0]!.spanCount, 1);
    assert.equal(processor.stats.passedThrough, 1);
    assert.equal(resolver.peeked.length, 0);
  });

  it('resolves the misses of a request in one call and enriches with the answers', async () => {
    const resolver = new ScriptedResolver([user(ANN, 'Ann')], (id) => (id === BOB ? { status: 'found', user: user(BOB, 'Bob') } : { status: 'not_found' }));
    const { processor, spansOut } = setup(resolver);
    await processor.consumeTraces(batchOf([idSpan('a', ANN), idSpan('b1', BOB), idSpan('b2', BOB)]));
    assert.deepEqual(resolver.resolved, [[BOB]]);
    assert.deepEqual(
      spansOut().map((s) => s.attributes[ENRICHMENT_KEYS.fullName]),
      ['Ann', 'Bob', 'Bob'],
    );
    assert.equal(processor.stats.batchesWaited, 1);
  });

  it('forwards with lookup=failed when the directory does not answer within the budget', async () => {
    const resolver = new ScriptedResolver([user(ANN, 'Ann')]);
    resolver.hold();
    const { processor, spansOut } = setup(resolver, 20);
    await processor.consumeTraces(batchOf([idSpan('a', ANN), idSpan('b', BOB)]));
    resolver.release();
    const [a, b] = spansOut();
    assert.equal(a!.attributes[ENRICHMENT_KEYS.fullName], 'Ann');
    assert.equal(b!.attributes[ENRICHMENT_KEYS.lookup], 'failed');
    assert.equal(processor.stats.budgetExpired, 1);
    assert.equal(processor.stats.failed, 1);
  });

  it('marks values that cannot be user ids not_found without asking the directory', async () => {
    const resolver = new ScriptedResolver([]);
    const { processor, spansOut } = setup(resolver);
    await processor.consumeTraces(batchOf([idSpan('x', 'not-a-uuid'), spanWith('n', [{ key: SOURCE_KEY, value: { intValue: '7' } }])]));
    assert.deepEqual(resolver.peeked, []);
    assert.deepEqual(spansOut().map((s) => s.attributes[ENRICHMENT_KEYS.lookup]), ['not_found', 'not_found']);
    assert.equal(processor.stats.notFound, 2);
  });

  it('never overwrites an enrichment attribute the sender already set, and adds the others', async () => {
    const resolver = new ScriptedResolver([user(ANN, 'Ann')]);
    const { processor, spansOut } = setup(resolver);
    const preset = { key: ENRICHMENT_KEYS.email, value: { stringValue: 'sender@example.com' } };
    await processor.consumeTraces(batchOf([idSpan('preset', ANN, [preset]), idSpan('plain', ANN)]));
    const [withPreset, plain] = spansOut();
    assert.equal(withPreset!.attributes[ENRICHMENT_KEYS.email], 'sender@example.com');
    assert.equal(withPreset!.attributes[ENRICHMENT_KEYS.fullName], 'Ann');
    assert.equal(plain!.attributes[ENRICHMENT_KEYS.email], 'ann@example.com');
  });

  describe('with an output pool', () => {
    function pooled(next: (b: TraceBatch) => Promise<void>) {
      const pool = new BufferPool();
      const processor = new EnrichmentProcessor({
        codec: new WireTraceCodec({ sourceKey: SOURCE_KEY, watchedKeys: ALL_ENRICHMENT_KEYS }),
        resolver: new ScriptedResolver([user(ANN, 'Ann')]),
        normalizeId: normalizeUserId,
        next: { consumeTraces: next },
        lookupBudgetMs: 1000,
        logger: silentLogger(),
        outputPool: pool,
      });
      // Large enough for the pool (it leaves small buffers to Node's allocator).
      const big = batchOf(Array.from({ length: 400 }, (_, i) => idSpan(`s${i}`, ANN, [{ key: 'pad', value: { stringValue: 'x'.repeat(100) } }])));
      return { pool, processor, big };
    }

    it('writes the enriched request into pooled memory and hands on a release for it', async () => {
      const forwarded: TraceBatch[] = [];
      const { pool, processor, big } = pooled(async (b) => void forwarded.push(b));
      await processor.consumeTraces(big);
      assert.equal(pool.stats().allocated, 1);
      assert.equal(typeof forwarded[0]!.release, 'function');
      assert.equal(pool.stats().idleBytes, 0, 'still held by the next stage');
      forwarded[0]!.release!();
      assert.ok(pool.stats().idleBytes > 0, 'back in the pool once released');
      await processor.consumeTraces(big);
      assert.equal(pool.stats().reused, 1, 'the next request reuses it');
      assert.deepEqual(forwarded[1]!.bytes, forwarded[0]!.bytes, 'same output from reused memory');
    });

    it('takes the memory back itself when the next stage refuses the batch', async () => {
      const { pool, processor, big } = pooled(async () => {
        throw new Error('queue full');
      });
      await assert.rejects(processor.consumeTraces(big), /queue full/);
      assert.ok(pool.stats().idleBytes > 0);
    });

    it('passes a request without sites on with no release (its bytes are not pooled)', async () => {
      const forwarded: TraceBatch[] = [];
      const { pool, processor } = pooled(async (b) => void forwarded.push(b));
      await processor.consumeTraces(batchOf([spanWith('plain', [])]));
      assert.equal(forwarded[0]!.release, undefined);
      assert.equal(pool.stats().allocated, 0);
    });
  });
});
