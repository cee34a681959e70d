/**
 * `npm run fuzz [-- --cases N --seed S]`: the long fuzz run. The service
 * under mutated and random gRPC input (receiver + processor + exporter), and a
 * differential check of the wire codec against the decoding reference on
 * random valid requests. Prints figures; exits 1 on the first failure.
 */
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { ReferenceTraceCodec, WireTraceCodec, stringAttribute } from '../../src/processor/codec/index';
import { decodeRequest, encodeRequest, mulberry32, randomTraceRequest, SOURCE_KEY, WATCHED_KEYS } from '../helpers/otlpFixtures';
import { fuzzReceiver } from './receiverFuzz';

function differential(cases: number, seed: number): void {
  const options = { sourceKey: SOURCE_KEY, watchedKeys: WATCHED_KEYS };
  const wire = new WireTraceCodec(options);
  const reference = new ReferenceTraceCodec(options);
  const added = [stringAttribute(WATCHED_KEYS[0], 'Fuzz Agent'), stringAttribute('genesys.user.lookup', 'failed')];
  for (let i = 0; i < cases; i++) {
    const bytes = encodeRequest(randomTraceRequest(mulberry32(seed + i)));
    const a = wire.scan(bytes);
    const b = reference.scan(bytes);
    assert.equal(a.sites.length, b.sites.length, `case ${i}: site count`);
    const additions = a.sites.map((_, k) => (k % 3 === 2 ? undefined : added.slice(0, 1 + (k % 2))));
    assert.deepEqual(decodeRequest(wire.apply(bytes, a, additions)), decodeRequest(reference.apply(bytes, b, additions)), `case ${i}: outputs differ`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string', default: '5000' }, seed: { type: 'string', default: String(Date.now() % 1e9) } } });
  const cases = Number(values.cases);
  const seed = Number(values.seed);
  process.stdout.write(`fuzz: ${cases} cases, seed ${seed}\n`);
  let t = Date.now();
  differential(cases, seed);
  process.stdout.write(`codec differential: ${cases} random valid requests, wire = reference (${Date.now() - t} ms)\n`);
  t = Date.now();
  const r = await fuzzReceiver({ cases, seed });
  process.stdout.write(`service via gRPC: ${r.cases} inputs, ${r.accepted} accepted and delivered, ${r.rejected} INVALID_ARGUMENT, 0 other answers (${Date.now() - t} ms)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`fuzz FAILED: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
