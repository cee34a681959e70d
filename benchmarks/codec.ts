/**
 * Micro-benchmark of the OTLP trace codecs on the bench request (512 spans,
 * ~290 KB, half carrying a user id, each of those getting 3 attributes).
 * Prints spans/s for scan+apply per codec, scan and apply apart, and a plain
 * Buffer copy (the pass-through floor). Figures are the best ~50 ms round of
 * each case. Does not assert anything.
 *
 *   node dist/benchmarks/codec.js [secondsPerCase=2]
 */
import { ReferenceTraceCodec, WireTraceCodec, stringAttribute, type StringAttribute, type TraceCodec } from '../src/processor/codec';
import { SOURCE_KEY, WATCHED_KEYS, benchRequest } from '../test/helpers/otlpFixtures';

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

const copy = rate(() => {
  const out = Buffer.allocUnsafe(request.length);
  request.copy(out);
  return out;
});
const results = [measure('wire', wire), measure('reference', reference)];
const spans = results[0].spans;
const fmt = (callsPerSecond: number) => `${(callsPerSecond * spans).toExponential(2)} spans/s (${callsPerSecond.toFixed(0)} req/s)`;

console.log(`codec benchmark: ${spans} spans, ${results[0].sites} sites, ${request.length} bytes, node ${process.version}, best 50 ms round of ${seconds}s per case`);
console.log(`  buffer copy            ${fmt(copy)}`);
for (const r of results) {
  console.log(`  ${r.name.padEnd(10)} scan+apply ${fmt(r.full)}`);
  console.log(`  ${r.name.padEnd(10)} scan       ${fmt(r.scanOnly)}`);
  console.log(`  ${r.name.padEnd(10)} apply      ${fmt(r.applyOnly)}`);
}
console.log(`  ratio wire/reference (scan+apply): ${(results[0].full / results[1].full).toFixed(1)}x`);
console.log(`  wire scan+apply vs buffer copy:    ${((results[0].full / copy) * 100).toFixed(1)}%`);
