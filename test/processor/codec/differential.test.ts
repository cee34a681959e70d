/**
 * The wire codec must agree with the decoding reference on every valid
 * request: same sites (kind, value, non-string flag, has() for each watched
 * key) and, given the same additions, outputs that decode to equal requests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceTraceCodec, WireTraceCodec, stringAttribute, type StringAttribute } from '../../../src/processor/codec';
import { WATCHED_KEYS, decodeRequest, encodeRequest, mulberry32, randomTraceRequest, type Rng } from '../../helpers/otlpFixtures';
import { CODEC_OPTIONS, describeSite } from './codecCases';

const POOL: readonly StringAttribute[] = [
  ...WATCHED_KEYS.map((k) => stringAttribute(k, `value of ${k}`)),
  stringAttribute('enduser.name', 'Zoë Ångström 😀'),
  stringAttribute('genesys.user.state', ''),
  stringAttribute('genesys.division.name', 'd'.repeat(300)), // a value whose length takes a 2-byte varint
];

/** Per site: nothing (undefined or []), or one to four attributes from POOL. */
function randomAdditions(rng: Rng, siteCount: number): (readonly StringAttribute[] | undefined)[] {
  return Array.from({ length: siteCount }, () => {
    const roll = rng();
    if (roll < 0.2) return undefined;
    if (roll < 0.3) return [];
    return Array.from({ length: 1 + Math.floor(rng() * 4) }, () => POOL[Math.floor(rng() * POOL.length)]);
  });
}

describe('WireTraceCodec against ReferenceTraceCodec', () => {
  const wire = new WireTraceCodec(CODEC_OPTIONS);
  const reference = new ReferenceTraceCodec(CODEC_OPTIONS);

  it('agrees on sites and outputs for 300 seeded random requests', () => {
    const seen = { sites: 0, resourceSites: 0, nonString: 0, preSet: 0, added: 0 };
    for (let seed = 1; seed <= 300; seed++) {
      const rng = mulberry32(seed);
      const bytes = encodeRequest(randomTraceRequest(rng));
      const fromWire = wire.scan(bytes);
      const fromReference = reference.scan(bytes);
      assert.equal(fromWire.spanCount, fromReference.spanCount, `seed ${seed}: span count`);
      const sites = fromWire.sites.map((s) => describeSite(s));
      assert.deepEqual(sites, fromReference.sites.map((s) => describeSite(s)), `seed ${seed}: sites`);

      const additions = randomAdditions(rng, sites.length);
      const wireOut = wire.apply(bytes, fromWire, additions);
      const referenceOut = reference.apply(bytes, fromReference, additions);
      assert.deepEqual(decodeRequest(wireOut), decodeRequest(referenceOut), `seed ${seed}: outputs`);

      seen.sites += sites.length;
      seen.resourceSites += sites.filter((s) => s.kind === 'resource').length;
      seen.nonString += sites.filter((s) => s.sourceNonString).length;
      seen.preSet += sites.filter((s) => Object.values(s.has).some(Boolean)).length;
      seen.added += additions.filter((a) => a && a.length > 0).length;
    }
    // The generator must keep producing every kind of case, or this test proves little.
    for (const [what, count] of Object.entries(seen)) assert.ok(count >= 20, `only ${count} ${what} in 300 requests`);
  });
});
