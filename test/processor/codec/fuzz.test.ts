/**
 * Mutated requests (bytes flipped, cut, duplicated, spliced): the codecs
 * either accept them or throw PipelineError('invalid_argument'), never
 * anything else. Whatever the wire codec accepts, it can also splice: the
 * result scans again with the same sites, each now holding the addition.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringAttribute } from '../../../src/processor/codec';
import { encodeRequest, mulberry32, randomTraceRequest } from '../../helpers/otlpFixtures';
import { mutate } from '../../helpers/mutate';
import { CODECS, assertOnlyInvalidArgument } from './codecCases';

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
