/**
 * Micro-benchmark of the enrichment hot path, in one process, on the bench
 * request (512 spans, ~290 KB, half carrying a user id):
 * - the codecs: scan+apply, scan and apply apart (each site of a user gets 3
 *   attributes), for the wire codec and the decoding reference;
 * - a plain Buffer copy of the request (the floor of anything that forwards it);
 * - the whole stage: EnrichmentProcessor with the wire codec and a warm
 *   CachedIdentityResolver (ids of 43 users, all cached: no I/O), which is
 *   what the service does per request in the steady state.
 * Figures are the best ~50 ms round of each case. Does not assert anything.
 *
 *   node dist/benchmarks/codec.js [secondsPerCase=2]
 */
import { CachedIdentityResolver } from '../src/directory/cache/cachedIdentityResolver';
import { normalizeUserId } from '../src/directory/userId';
import { ReferenceTraceCodec, WireTraceCodec, stringAttribute, type StringAttribute, type TraceCodec } from '../src/processor/codec';
import { ALL_ENRICHMENT_KEYS, EnrichmentProcessor } from '../src/processor/enrich';
import { silentLogger } from '../src/telemetry/logger';
import { SOURCE_KEY, WATCHED_KEYS, benchRequest, encodeRequest, makeRequest, mulberry32, randomUserId } from '../test/helpers/otlpFixtures';

const seconds = Number(process.argv[2] ?? 2);
const request = benchRequest(512);
const options = { sourceKey: SOURCE_KEY, watchedKeys: WATCHED_KEYS };
const wire = new WireTraceCodec(options);
const reference = new ReferenceTraceCodec(options);

/**
 * Calls per second of `fn`: after a warm-up, runs rounds of ~50 ms for about
 * `seconds` and keeps the best round, which is the one least disturbed by
 * other processes (shared machines make the mean meaningless).
 */
function rate(fn: () => unknown): number {
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) fn();
  let best = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < 50) {
      fn();
      calls++;
      now = performance.now();
    }
    best = Math.max(best, (calls * 1000) / (now - start));
  }
  return best;
}

/** `rate` for an async function: each call is awaited before the next. */
async function asyncRate(fn: () => Promise<unknown>): Promise<number> {
  const round = async (ms: number) => {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      await fn();
      calls++;
      now = performance.now();
    }
    return (calls * 1000) / (now - start);
  };
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) await round(50);
  let best = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) best = Math.max(best, await round(50));
  return best;
}

/** The additions a processor would make: one pre-encoded set per user, shared across spans. */
function additionsFor(codec: TraceCodec): (readonly StringAttribute[] | undefined)[] {
  const perUser = new Map<string, StringAttribute[]>();
  return codec.scan(request).sites.map((site) => {
    const id = site.sourceValue;
    if (id === undefined) return undefined;
    let list = perUser.get(id);
    if (!list) {
      list = [stringAttribute('enduser.name', `Agent ${id.slice(0, 8)}`), stringAttribute('enduser.email', `${id.slice(0, 8)}@example.com`), stringAttribute('genesys.division.name', 'Home')];
      perUser.set(id, list);
    }
    return list;
  });
}

function measure(name: string, codec: TraceCodec) {
  const additions = additionsFor(codec);
  const scanned = codec.scan(request);
  const full = rate(() => {
    const s = codec.scan(request);
    return codec.apply(request, s, additions);
  });
  const scanOnly = rate(() => codec.scan(request));
  const applyOnly = rate(() => codec.apply(request, scanned, additions));
  return { name, full, scanOnly, applyOnly, spans: scanned.spanCount, sites: scanned.sites.length };
}

/** The enrichment stage with every user cached, as in the end-to-end benchmark after warm-up. */
async function measureStage(): Promise<number> {
  const rng = mulberry32(0xbe7c);
  const users = Array.from({ length: 43 }, () => randomUserId(rng));
  const stageRequest = encodeRequest(
    makeRequest({ spans: 512, withUserIdRatio: 0.5, userIds: users, resources: 4, scopesPerResource: 2, attributesPerSpan: 8, seed: 0xbe7c }),
  );
  const resolver = new CachedIdentityResolver({ lookup: { load: async () => ({ status: 'failed', reason: 'benchmark: no directory' }) } });
  for (const id of users) {
    const local = id.slice(0, 8);
    resolver.set({ id, name: `Agent ${local}`, username: `${local}@example.com`, email: `${local}@example.com`, state: 'active', division: { id: 'd', name: 'Home' } });
  }
  const processor = new EnrichmentProcessor({
    codec: new WireTraceCodec({ sourceKey: SOURCE_KEY, watchedKeys: ALL_ENRICHMENT_KEYS }),
    resolver,
    normalizeId: normalizeUserId,
    next: { consumeTraces: async () => undefined },
    lookupBudgetMs: 200,
    logger: silentLogger(),
  });
  return asyncRate(() => processor.consumeTraces({ bytes: stageRequest, spanCount: 0 }));
}

async function main(): Promise<void> {
  const copy = rate(() => {
    const out = Buffer.allocUnsafe(request.length);
    request.copy(out);
    return out;
  });
  const results = [measure('wire', wire), measure('reference', reference)];
  const stage = await measureStage();
  const spans = results[0]!.spans;
  const fmt = (callsPerSecond: number) => `${(callsPerSecond * spans).toExponential(2)} spans/s (${callsPerSecond.toFixed(0)} req/s, ${(1e6 / callsPerSecond).toFixed(0)} µs/req)`;

  console.log(`codec benchmark: ${spans} spans, ${results[0]!.sites} sites, ${request.length} bytes, node ${process.version}, best 50 ms round of ${seconds}s per case`);
  console.log(`  buffer copy            ${fmt(copy)}`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(10)} scan+apply ${fmt(r.full)}`);
    console.log(`  ${r.name.padEnd(10)} scan       ${fmt(r.scanOnly)}`);
    console.log(`  ${r.name.padEnd(10)} apply      ${fmt(r.applyOnly)}`);
  }
  console.log(`  enrichment stage (wire, warm cache) ${fmt(stage)}`);
  console.log(`  ratio wire/reference (scan+apply): ${(results[0]!.full / results[1]!.full).toFixed(1)}x`);
  console.log(`  wire scan+apply vs buffer copy:    ${((results[0]!.full / copy) * 100).toFixed(1)}%`);
  console.log(`  stage vs wire scan+apply:          ${((stage / results[0]!.full) * 100).toFixed(1)}%`);
}

void main();
