/**
 * Child process of the memory section (run with --expose-gc): what cached
 * users cost in RSS, measured on the service's own classes in a fresh
 * process. Users are added in steps of `step` up to twice that; each is cached
 * (as warm-up or a look-up does) and then enriched once (as if it had been
 * seen in traffic): the cache keeps every entry, the encoder the encoded
 * attributes of the 10,000 most recent users, and the splicer's blocks of
 * them live as long as those do. After each step, full GCs, then RSS and
 * heap are read. The growth from the first step to the second is the cost
 * per `step` users; from nothing to the first step it also holds what does
 * not grow with the cache (the encoder's bounded set, heap headroom).
 * Prints one JSON line.
 *
 *   node --expose-gc dist/benchmarks/cacheMemory.js [step=100000]
 */
import { CachedIdentityResolver } from '../src/directory/cache/cachedIdentityResolver';
import type { GenesysUser } from '../src/directory/types';
import { FramedLists } from '../src/processor/codec/wire/splicer';
import { AttributeEncoder } from '../src/processor/enrich/attributes';
import { mulberry32, randomUserId } from '../test/helpers/otlpFixtures';

export interface CacheMemoryResult {
  /** Users per step. */
  step: number;
  /** RSS / heap used after 0, 1 and 2 steps, bytes. */
  rss: [number, number, number];
  heapUsed: [number, number, number];
}

function settle(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('cacheMemory: run with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage();
}

function main(): void {
  const step = Number(process.argv[2] ?? 100_000);
  const rng = mulberry32(0x3e3);
  const ids = Array.from({ length: 2 * step }, () => randomUserId(rng));
  const resolver = new CachedIdentityResolver({ lookup: { load: async () => ({ status: 'not_found' }) }, max: 2 * step + 1 });
  const encoder = new AttributeEncoder();
  const framed = new FramedLists();
  const snapshots = [settle()];
  for (let s = 0; s < 2; s++) {
    for (let i = s * step; i < (s + 1) * step; i++) {
      const user: GenesysUser = Object.freeze({
        id: ids[i]!,
        name: `Agent Number ${i}`,
        username: `agent.number.${i}@example.com`,
        email: `agent.number.${i}@example.com`,
        state: 'active',
        division: Object.freeze({ id: '5a8c1f3e-2b7d-4c9a-8e6f-0d1c2b3a4f5e', name: 'Customer Care EMEA' }),
        version: 3,
      });
      resolver.set(user);
      const attrs = encoder.forResolution(resolver.peek(ids[i]!));
      let size = 0;
      for (const a of attrs) size += 2 + a.encoded.length; // tag + one-byte length + body
      framed.spanFields(attrs, size);
    }
    snapshots.push(settle());
  }
  // Reading them here keeps the cache, encoder and blocks reachable through the measurement.
  if (resolver.stats().size !== 2 * step || encoder.forResolution(resolver.peek(ids[0]!)).length === 0 || !framed) throw new Error('cacheMemory: lost entries');
  const pick = (f: (m: NodeJS.MemoryUsage) => number) => snapshots.map(f) as [number, number, number];
  const result: CacheMemoryResult = { step, rss: pick((m) => m.rss), heapUsed: pick((m) => m.heapUsed) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
