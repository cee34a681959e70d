/**
 * Mutated requests (bytes flipped, cut, duplicated, spliced): the codecs
 * either accept them or throw PipelineError('invalid_argument'), never
 * anything else. Whatever the wire codec accepts, it can also splice: the
 * result scans again with the same sites, each now holding the addition.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringAttribute } from '../../../src/processor/codec';
import { encodeRequest, mulberry32, randomTraceRequest, type Rng } from '../../helpers/otlpFixtures';
import { CODECS, assertOnlyInvalidArgument } from './codecCases';

function mutate(rng: Rng, bytes: Buffer): Buffer {
  const at = () => Math.floor(rng() * bytes.length);
  const copy = Buffer.from(bytes);
  switch (Math.floor(rng() * 5)) {
    case 0: // flip a few bytes
      for (let i = 0; i < 1 + Math.floor(rng() * 3); i++) copy[at()] = Math.floor(rng() * 256);
      return copy;
    case 1: // cut
      return copy.subarray(0, at());
    case 2: // duplicate a slice in place
    {
      const a = at();
      const b = Math.min(bytes.length, a + Math.floor(rng() * 40));
      return Buffer.concat([copy.subarray(0, b), copy.subarray(a, b), copy.subarray(b)]);
    }
    case 3: // drop a slice
    {
      const a = at();
      return Buffer.concat([copy.subarray(0, a), copy.subarray(a + 1 + Math.floor(rng() * 8))]);
    }
    default: // set a high bit (turns one-byte varints into longer ones)
      copy[at()] |= 0x80;
      return copy;
  }
}

const ADDED = stringAttribute('enduser.name', 'Fuzz Agent');
const ORIGINALS = Array.from({ length: 60 }, (_, i) => encodeRequest(randomTraceRequest(mulberry32(1000 + i), { maxResources: 2, maxSpans: 3 })));

for (const codecCase of CODECS) {
  describe(`${codecCase.name} on mutated requests`, () => {
    const codec = codecCase.create();

    const cases = codecCase.mutationCases;

    it(`throws nothing but invalid_argument on ${cases} mutations, and splices whatever it accepts`, () => {
      const rng = mulberry32(77);
      let accepted = 0;
      let rejected = 0;
      for (let i = 0; i < cases; i++) {
        const bytes = mutate(rng, ORIGINALS[i % ORIGINALS.length]);
        let scanned: ReturnType<typeof codec.scan> | undefined;
        const outcome = assertOnlyInvalidArgument(() => (scanned = codec.scan(bytes)), `mutation #${i} ${bytes.toString('hex')}`);
        if (outcome === 'rejected' || !scanned) {
          rejected++;
          continue;
        }
        accepted++;
        const s = scanned;
        const out = codec.apply(bytes, s, s.sites.map(() => [ADDED]));
        const again = codec.scan(out);
        assert.equal(again.spanCount, s.spanCount, `mutation #${i}: span count after apply`);
        assert.deepEqual(
          again.sites.map((x) => [x.kind, x.sourceValue, x.has('enduser.name')]),
          s.sites.map((x) => [x.kind, x.sourceValue, true]),
          `mutation #${i}: sites after apply`,
        );
      }
      assert.ok(accepted > 100 && rejected > 100, `accepted ${accepted}, rejected ${rejected}: mutations too mild or too wild`);
    });
  });
}
