/**
 * What the wire codec promises beyond the shared contract: strict validation
 * of the wire format, and byte-exact splicing of requests no ordinary
 * encoder produces (unknown fields, odd field order, repeated Resource
 * fields, overlong length prefixes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ANY_VALUE_DEPTH, WireTraceCodec, stringAttribute } from '../../../../src/processor/codec';
import { SOURCE_KEY, decodeRequest, encodeRequest, makeRequest } from '../../../helpers/otlpFixtures';
import { fixed32, fixed64, kvInt, kvString, message, nestedArrayAttribute, requestWith, str, tag, varint, varintField } from '../../../helpers/otlpWire';
import { CODEC_OPTIONS, assertInvalidArgument, describeSite } from '../codecCases';

const codec = new WireTraceCodec(CODEC_OPTIONS);
const ID = '0b6f3a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const NAME = stringAttribute('enduser.name', 'Ann Agent');

/** A minimal valid span body carrying the source id. */
function spanBody(...extra: Buffer[]): Buffer {
  return Buffer.concat([str(1, Buffer.alloc(16, 1)), str(2, Buffer.alloc(8, 2)), str(5, 'op'), message(9, kvString(SOURCE_KEY, ID)), ...extra]);
}

describe('WireTraceCodec', () => {
  describe('scan rejects malformed input with invalid_argument', () => {
    const valid = requestWith([spanBody(message(11, fixed64(1, 5n), str(2, 'ev')), message(15, varintField(3, 2)))]);

    it('accepts the valid baseline used below', () => {
      assert.equal(codec.scan(valid).sites.length, 1);
    });

    it('rejects every truncation of a one-ResourceSpans request', () => {
      for (let cut = 1; cut < valid.length; cut++) assertInvalidArgument(() => codec.scan(valid.subarray(0, cut)));
    });

    const wrongWireTypes: [string, Buffer][] = [
      ['ResourceSpans as a varint', varintField(1, 3)],
      ['Span.attributes as a varint', requestWith([Buffer.concat([spanBody(), varintField(9, 1)])])],
      ['Span.start_time_unix_nano as a varint', requestWith([Buffer.concat([spanBody(), varintField(7, 1)])])],
      ['Span.flags as a varint', requestWith([Buffer.concat([spanBody(), varintField(16, 1)])])],
      ['Status.code as bytes', requestWith([spanBody(message(15, str(3, 'x')))])],
      ['AnyValue.int_value as fixed32', requestWith([spanBody(message(9, str(1, 'k'), message(2, fixed32(3, 1))))])],
      ['Event.time_unix_nano as fixed32', requestWith([spanBody(message(11, fixed32(1, 1)))])],
      ['Link.flags as fixed64', requestWith([spanBody(message(13, fixed64(6, 1n)))])],
      ['Resource.dropped_attributes_count as bytes', requestWith([spanBody()], str(2, 'x'))],
      ['EntityRef.type as a varint', requestWith([spanBody()], message(3, varintField(2, 1)))],
      ['InstrumentationScope.name as a varint', message(1, message(2, message(1, varintField(1, 1))))],
    ];
    for (const [what, bytes] of wrongWireTypes) {
      it(`rejects a known field with the wrong wire type: ${what}`, () => assertInvalidArgument(() => codec.scan(bytes), /wrong wire type/));
    }

    it('rejects groups (wire types 3 and 4), wire types 6 and 7, and field number 0, even on unknown fields', () => {
      for (const wireType of [3, 4, 6, 7]) assertInvalidArgument(() => codec.scan(requestWith([Buffer.concat([spanBody(), tag(99, wireType)])])));
      assertInvalidArgument(() => codec.scan(Buffer.from([0x02, 0x00])), /field number 0/);
    });

    it('rejects varints longer than 10 bytes and 10-byte varints overflowing 64 bits', () => {
      const elevenBytes = Buffer.concat([tag(3, 0), Buffer.alloc(10, 0x80), Buffer.from([0x00])]);
      assertInvalidArgument(() => codec.scan(requestWith([spanBody(message(9, str(1, 'k'), message(2, elevenBytes)))])), /varint longer than 10 bytes/);
      const overflow = Buffer.concat([tag(3, 0), Buffer.alloc(9, 0xff), Buffer.from([0x02])]);
      assertInvalidArgument(() => codec.scan(requestWith([spanBody(message(9, str(1, 'k'), message(2, overflow)))])), /overflows 64 bits/);
      const overlongLength = Buffer.concat([tag(1, 2), Buffer.alloc(10, 0x80), Buffer.from([0x00])]);
      assertInvalidArgument(() => codec.scan(overlongLength), /varint longer than 10 bytes/);
      // The largest 10-byte varint is fine (an int64 of -1).
      assert.equal(codec.scan(requestWith([spanBody(message(9, kvInt('k', -1n)))])).spanCount, 1);
    });

    it('rejects a length running past the end of its enclosing message, not just of the buffer', () => {
      // The span claims 50 bytes; the ScopeSpans holding it is shorter; the buffer has more after it.
      const inner = Buffer.concat([tag(2, 2), varint(50), Buffer.alloc(10)]);
      const bytes = Buffer.concat([message(1, message(2, inner)), message(1, Buffer.alloc(60))]);
      assertInvalidArgument(() => codec.scan(bytes), /runs past the end/);
    });

    it(`accepts AnyValues nested ${MAX_ANY_VALUE_DEPTH} deep and rejects deeper ones, up to 1000 levels, without overflowing the stack`, () => {
      assert.equal(codec.scan(requestWith([spanBody(message(9, nestedArrayAttribute('deep', MAX_ANY_VALUE_DEPTH)))])).spanCount, 1);
      for (const levels of [MAX_ANY_VALUE_DEPTH + 1, 1000]) {
        assertInvalidArgument(() => codec.scan(requestWith([spanBody(message(9, nestedArrayAttribute('deep', levels)))])), /nested deeper/);
      }
      // Through key-value lists too, and in event attributes.
      let kvlist = str(1, 'bottom');
      for (let i = 1; i <= 1000; i++) kvlist = message(6, message(1, str(1, 'k'), message(2, kvlist)));
      assertInvalidArgument(() => codec.scan(requestWith([spanBody(message(11, message(3, str(1, 'k'), message(2, kvlist))))])), /nested deeper/);
    });
  });

  describe('scan reads the wire as protobuf parsers do', () => {
    it('finds the source key in a KeyValue that has its value before its key', () => {
      const swapped = Buffer.concat([message(2, str(1, ID)), str(1, SOURCE_KEY)]);
      assert.equal(codec.scan(requestWith([Buffer.concat([str(5, 'op'), message(9, swapped)])])).sites[0].sourceValue, ID);
    });

    it('lets the last oneof member of AnyValue win (int after string: not a string)', () => {
      const value = Buffer.concat([str(1, ID), varintField(3, 5)]);
      const [site] = codec.scan(requestWith([message(9, str(1, SOURCE_KEY), message(2, value))])).sites;
      assert.deepEqual([site.sourceValue, site.sourceNonString], [undefined, true]);
    });

    describe('array attributes, whichever of its two walkers (scalar arrays, anything else) reads them', () => {
      const element = (...members: Buffer[]) => message(1, ...members); // ArrayValue.values
      const arrayValue = (...elements: Buffer[]) => message(5, ...elements); // AnyValue.array_value
      const double = (field: number, n: number) => Buffer.concat([tag(field, 1), Buffer.from(new Float64Array([n]).buffer)]);
      const arrays: [string, Buffer][] = [
        ['short strings', arrayValue(element(str(1, 'q-support-en')), element(str(1, 'q-billing')))],
        ['ints, one of 10 bytes', arrayValue(element(varintField(3, 1)), element(varintField(3, -1n & 0xffffffffffffffffn)))],
        ['doubles and bools', arrayValue(element(double(4, 0.25)), element(varintField(2, 1)))],
        ['no elements', arrayValue()],
        ['a string of 200 bytes', arrayValue(element(str(1, 'x'.repeat(200))))],
        ['an empty element', arrayValue(message(1))],
        ['an element with two members (the last wins)', arrayValue(element(str(1, 'a'), varintField(3, 7)))],
        ['a nested array and a kvlist', arrayValue(element(arrayValue(element(str(1, 'a')))), element(message(6, message(1, kvString('k', 'v')))))],
        ['an unknown field in an element', arrayValue(element(str(1, 'a'), varintField(99, 1)))],
      ];
      for (const [what, value] of arrays) {
        it(`accepts one holding ${what}, beside the source key and under it (then not a string)`, () => {
          const beside = codec.scan(requestWith([spanBody(message(9, str(1, 'genesys.queue.ids'), message(2, value)))])).sites;
          assert.deepEqual(beside.map((site) => site.sourceValue), [ID]);
          const [under] = codec.scan(requestWith([Buffer.concat([str(5, 'op'), message(9, str(1, SOURCE_KEY), message(2, value))])])).sites;
          assert.deepEqual([under.sourceValue, under.sourceNonString], [undefined, true]);
        });
      }

      const malformed: [string, Buffer][] = [
        ['an int element of 10 bytes overflowing 64 bits', arrayValue(message(1, tag(3, 0), Buffer.alloc(9, 0xff), Buffer.from([0x02])))],
        ['a string running past its element', arrayValue(message(1, tag(1, 2), Buffer.from([5]), Buffer.from('ab')))],
        ['an element running past the array', Buffer.concat([tag(5, 2), Buffer.from([4]), tag(1, 2), Buffer.from([9]), tag(1, 2), Buffer.from([0])])],
        ['values sent as a varint', arrayValue(varintField(1, 3))],
        ['an element holding a group', arrayValue(message(1, tag(9, 3)))],
      ];
      for (const [what, value] of malformed) {
        it(`rejects one with ${what}`, () => {
          assertInvalidArgument(() => codec.scan(requestWith([spanBody(message(9, str(1, 'genesys.queue.ids'), message(2, value)))])));
        });
      }
    });

    it('merges repeated Resource fields: one site, has() over both, first source value wins', () => {
      const first = Buffer.concat([message(1, kvString(SOURCE_KEY, ID))]);
      const second = Buffer.concat([message(1, kvString('enduser.email', 'a@b.c')), message(1, kvString(SOURCE_KEY, 'later'))]);
      const bytes = message(1, message(1, first), message(2, message(2, spanBody())), message(1, second));
      const sites = codec.scan(bytes).sites.map((s) => describeSite(s));
      assert.deepEqual(sites.map((s) => [s.kind, s.sourceValue, s.has['enduser.email']]), [
        ['resource', ID, true],
        ['span', ID, false],
      ]);
    });
  });

  describe('apply', () => {
    it('returns the input buffer itself when nothing is added', () => {
      const bytes = encodeRequest(makeRequest({ spans: 4 }));
      const scanned = codec.scan(bytes);
      assert.equal(codec.apply(bytes, scanned, scanned.sites.map(() => [])), bytes);
    });

    it('appends the encoded attributes at the very end of the span and fixes every enclosing length', () => {
      const body = spanBody();
      const bytes = requestWith([body]);
      const out = codec.apply(bytes, codec.scan(bytes), [[NAME]]);
      assert.deepEqual(out, requestWith([Buffer.concat([body, message(9, NAME.encoded)])]));
    });

    it('keeps unknown fields, at every level, byte for byte', () => {
      const unknown = (n: number) => Buffer.concat([varintField(90 + n, 7), fixed32(80 + n, 1), fixed64(70 + n, 2n), str(60 + n, 'u')]);
      const kv = Buffer.concat([kvString(SOURCE_KEY, ID), unknown(1)]);
      const spanWithUnknowns = Buffer.concat([str(5, 'op'), message(9, kv), message(15, varintField(3, 1), varintField(1, 9)), unknown(2)]);
      const layout = (span: Buffer) =>
        Buffer.concat([message(1, message(1, message(1, kvString('service.name', 's')), unknown(3)), message(2, message(1, str(1, 'scope'), unknown(4)), message(2, span), unknown(5)), unknown(6)), unknown(7)]);
      const bytes = layout(spanWithUnknowns);
      const out = codec.apply(bytes, codec.scan(bytes), [[NAME]]);
      assert.deepEqual(out, layout(Buffer.concat([spanWithUnknowns, message(9, NAME.encoded)])));
    });

    it('splices into a Resource placed after the ScopeSpans, keeping the resource site first', () => {
      const resource = (extra: Buffer[]) => message(1, message(1, kvString(SOURCE_KEY, ID)), ...extra);
      const spans = message(2, message(2, spanBody()));
      const bytes = message(1, spans, resource([]));
      const scanned = codec.scan(bytes);
      assert.deepEqual(scanned.sites.map((s) => s.kind), ['resource', 'span']);
      const out = codec.apply(bytes, scanned, [[NAME], [NAME]]);
      assert.deepEqual(out, message(1, message(2, message(2, spanBody(), message(9, NAME.encoded))), resource([message(1, NAME.encoded)])));
    });

    it('adds resource attributes to the last of repeated Resource fields (the end of the merged list)', () => {
      const first = message(1, message(1, kvString(SOURCE_KEY, ID)));
      const last = (extra: Buffer[]) => message(1, message(1, kvString('service.name', 's')), ...extra);
      const bytes = message(1, first, message(2, message(2, str(5, 'no id'))), last([]));
      const out = codec.apply(bytes, codec.scan(bytes), [[NAME]]);
      assert.deepEqual(out, message(1, first, message(2, message(2, str(5, 'no id'))), last([message(1, NAME.encoded)])));
    });

    it('rewrites an overlong (non-canonical) length prefix, even when the result is shorter', () => {
      const body = spanBody();
      // The span's length as a 5-byte varint: legal, but no encoder writes it.
      const overlong = Buffer.from([(body.length & 0x7f) | 0x80, (body.length >> 7) | 0x80, 0x80, 0x80, 0x00]);
      const scope = Buffer.concat([tag(2, 2), overlong, body]);
      const bytes = message(1, message(2, scope));
      const out = codec.apply(bytes, codec.scan(bytes), [[NAME]]);
      assert.deepEqual(out, requestWith([Buffer.concat([body, message(9, NAME.encoded)])]));
      assert.equal((decodeRequest(out) as { resourceSpans: unknown[] }).resourceSpans.length, 1);
    });

    it('shortens an overlong prefix that follows a span which grew, and patches same-length prefixes in place', () => {
      const first = spanBody(str(5, 'first'));
      const second = spanBody(str(5, 'second'));
      const overlong = Buffer.from([(second.length & 0x7f) | 0x80, (second.length >> 7) | 0x80, 0x80, 0x80, 0x00]);
      const scope = Buffer.concat([message(2, first), tag(2, 2), overlong, second, message(2, spanBody(str(5, 'third')))]);
      const bytes = message(1, message(2, scope));
      const big = [NAME, stringAttribute('enduser.email', 'e'.repeat(40))];
      const out = codec.apply(bytes, codec.scan(bytes), [big, [NAME], big]);
      const expected = requestWith([
        Buffer.concat([first, message(9, big[0]!.encoded), message(9, big[1]!.encoded)]),
        Buffer.concat([second, message(9, NAME.encoded)]),
        Buffer.concat([spanBody(str(5, 'third')), message(9, big[0]!.encoded), message(9, big[1]!.encoded)]),
      ]);
      assert.deepEqual(out, expected);
    });

    it('gives the same bytes on repeated applies with the same shared lists (cached blocks stay valid)', () => {
      const bytes = encodeRequest(makeRequest({ spans: 32, withUserIdRatio: 1, resources: 2, scopesPerResource: 2 }));
      const scanned = codec.scan(bytes);
      const shared = [NAME];
      const once = codec.apply(bytes, scanned, scanned.sites.map(() => shared));
      const twice = codec.apply(bytes, scanned, scanned.sites.map(() => shared));
      assert.deepEqual(twice, once);
      assert.notEqual(twice, once, 'a new buffer each time');
    });

    it('writes additions shared by many spans correctly each time', () => {
      const bytes = encodeRequest(makeRequest({ spans: 64, withUserIdRatio: 1, resources: 2, scopesPerResource: 2 }));
      const scanned = codec.scan(bytes);
      const shared = [NAME, stringAttribute('enduser.email', 'ann@example.com')];
      const out = codec.apply(bytes, scanned, scanned.sites.map((_, i) => (i % 3 === 0 ? [NAME] : shared)));
      const again = codec.scan(out);
      assert.deepEqual(again.sites.map((s) => [s.has('enduser.name'), s.has('enduser.email')]), scanned.sites.map((_, i) => [true, i % 3 !== 0]));
    });
  });
});
