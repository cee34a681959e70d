/**
 * The TraceCodec contract, specified once and checked against every
 * implementation (see codecCases.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PipelineError } from '../../../src/errors';
import { stringAttribute } from '../../../src/processor/codec';
import {
  SOURCE_KEY,
  decodeRequest,
  encodeRequest,
  makeRequest,
  mulberry32,
  randomTraceRequest,
  type KeyValueObject,
  type SpanObject,
  type TraceRequestObject,
} from '../../helpers/otlpFixtures';
import { CODECS, assertInvalidArgument, assertOnlyInvalidArgument, describeSite } from './codecCases';

const ID_A = '0b6f3a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const ID_B = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

function attr(key: string, value: KeyValueObject['value']): KeyValueObject {
  return { key, value };
}

function span(name: string, attributes: KeyValueObject[], extra: Partial<SpanObject> = {}): SpanObject {
  return { traceId: Buffer.alloc(16, 0xab), spanId: Buffer.alloc(8, 0xcd), name, attributes, ...extra };
}

function request(spans: SpanObject[], resourceAttributes?: KeyValueObject[]): TraceRequestObject {
  return {
    resourceSpans: [{ ...(resourceAttributes ? { resource: { attributes: resourceAttributes } } : {}), scopeSpans: [{ scope: { name: 'spec' }, spans }] }],
  };
}

/** A request exercising every field the codecs must carry through untouched. */
function everyFieldRequest(): TraceRequestObject {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [attr('service.name', { stringValue: 'agent-desktop' })],
          droppedAttributesCount: 3,
          entityRefs: [{ schemaUrl: 'https://example.com/s', type: 'service', idKeys: ['service.name'], descriptionKeys: ['d'] }],
        },
        scopeSpans: [
          {
            scope: { name: 'lib', version: '9.9', attributes: [attr('scope.attr', { boolValue: true })], droppedAttributesCount: 1 },
            spans: [
              {
                traceId: Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex'),
                spanId: Buffer.from('1112131415161718', 'hex'),
                traceState: 'vendor=1',
                parentSpanId: Buffer.from('2122232425262728', 'hex'),
                flags: 0x301,
                name: 'conversation.transfer',
                kind: 3,
                startTimeUnixNano: '1700000000123456789',
                endTimeUnixNano: '1700000000987654321',
                attributes: [
                  attr('http.response.status_code', { intValue: '-42' }),
                  attr(SOURCE_KEY, { stringValue: ID_A }),
                  attr('ratio', { doubleValue: 0.5 }),
                  attr('blob', { bytesValue: Buffer.from([0, 1, 2, 255]) }),
                  attr('list', { arrayValue: { values: [{ stringValue: 'a' }, { kvlistValue: { values: [attr('k', { intValue: '9223372036854775807' })] } }] } }),
                ],
                droppedAttributesCount: 2,
                events: [{ timeUnixNano: '1700000000500000000', name: 'hold', attributes: [attr('reason', { stringValue: 'lunch' })], droppedAttributesCount: 4 }],
                droppedEventsCount: 5,
                links: [{ traceId: Buffer.alloc(16, 7), spanId: Buffer.alloc(8, 8), traceState: 't=1', attributes: [attr('l', { boolValue: false })], droppedAttributesCount: 6, flags: 0x100 }],
                droppedLinksCount: 7,
                status: { message: 'boom', code: 2 },
              },
            ],
            schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
          },
        ],
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      },
    ],
  };
}

for (const codecCase of CODECS) {
  describe(`${codecCase.name} (TraceCodec contract)`, () => {
    const codec = codecCase.create();

    describe('scan', () => {
      it('reads an empty buffer as an empty request', () => {
        const scanned = codec.scan(Buffer.alloc(0));
        assert.equal(scanned.spanCount, 0);
        assert.deepEqual(scanned.sites, []);
      });

      it('counts every span and reports only those carrying the source attribute, in order', () => {
        const bytes = encodeRequest(request([span('a', [attr(SOURCE_KEY, { stringValue: ID_A })]), span('b', [attr('other', { stringValue: ID_B })]), span('c', [attr('x', { intValue: '1' }), attr(SOURCE_KEY, { stringValue: ID_B })])]));
        const scanned = codec.scan(bytes);
        assert.equal(scanned.spanCount, 3);
        assert.deepEqual(
          scanned.sites.map((s) => [s.kind, s.sourceValue, s.sourceNonString]),
          [
            ['span', ID_A, false],
            ['span', ID_B, false],
          ],
        );
      });

      it('reports a resource carrying the source attribute before the spans of its ResourceSpans', () => {
        const bytes = encodeRequest({
          resourceSpans: [
            { resource: { attributes: [attr(SOURCE_KEY, { stringValue: ID_A })] }, scopeSpans: [{ spans: [span('s1', [attr(SOURCE_KEY, { stringValue: ID_B })])] }] },
            { resource: { attributes: [attr('service.name', { stringValue: 'x' })] }, scopeSpans: [{ spans: [span('s2', [attr(SOURCE_KEY, { stringValue: ID_A })])] }] },
          ],
        });
        const scanned = codec.scan(bytes);
        assert.deepEqual(
          scanned.sites.map((s) => [s.kind, s.sourceValue]),
          [
            ['resource', ID_A],
            ['span', ID_B],
            ['span', ID_A],
          ],
        );
      });

      it('marks a source attribute whose value is not a string (or missing) as sourceNonString', () => {
        const values: KeyValueObject['value'][] = [{ intValue: '12345' }, { boolValue: true }, { doubleValue: 1.5 }, { bytesValue: Buffer.from('id') }, { arrayValue: { values: [{ stringValue: ID_A }] } }, { kvlistValue: { values: [] } }, undefined];
        const bytes = encodeRequest(request(values.map((value, i) => span(`s${i}`, [value === undefined ? { key: SOURCE_KEY } : attr(SOURCE_KEY, value)]))));
        const sites = codec.scan(bytes).sites;
        assert.equal(sites.length, values.length);
        for (const site of sites) assert.deepEqual([site.sourceValue, site.sourceNonString], [undefined, true]);
      });

      it('keeps an empty string value as a string', () => {
        const [site] = codec.scan(encodeRequest(request([span('s', [attr(SOURCE_KEY, { stringValue: '' })])]))).sites;
        assert.deepEqual([site.sourceValue, site.sourceNonString], ['', false]);
      });

      it('decodes a non-ASCII source value as UTF-8', () => {
        const [site] = codec.scan(encodeRequest(request([span('s', [attr(SOURCE_KEY, { stringValue: 'jürgen-😀' })])]))).sites;
        assert.equal(site.sourceValue, 'jürgen-😀');
      });

      it('lets the first occurrence of a repeated source key decide', () => {
        const bytes = encodeRequest(
          request([
            span('string first', [attr(SOURCE_KEY, { stringValue: ID_A }), attr(SOURCE_KEY, { stringValue: ID_B })]),
            span('int first', [attr(SOURCE_KEY, { intValue: '7' }), attr(SOURCE_KEY, { stringValue: ID_B })]),
          ]),
        );
        assert.deepEqual(
          codec.scan(bytes).sites.map((s) => [s.sourceValue, s.sourceNonString]),
          [
            [ID_A, false],
            [undefined, true],
          ],
        );
      });

      it('answers has() for watched keys already present, and false for anything else', () => {
        const bytes = encodeRequest(
          request(
            [span('s', [attr('enduser.name', { stringValue: 'pre-set' }), attr(SOURCE_KEY, { stringValue: ID_A }), attr('genesys.user.state', { intValue: '1' }), attr('not.watched', { stringValue: 'x' })])],
            [attr(SOURCE_KEY, { stringValue: ID_B }), attr('enduser.email', { stringValue: 'a@b.c' })],
          ),
        );
        const [resource, spanSite] = codec.scan(bytes).sites.map((s) => describeSite(s));
        assert.deepEqual(resource.has, { 'enduser.name': false, 'enduser.email': true, 'genesys.user.state': false, 'genesys.division.name': false, 'not.watched': false });
        assert.deepEqual(spanSite.has, { 'enduser.name': true, 'enduser.email': false, 'genesys.user.state': true, 'genesys.division.name': false, 'not.watched': false });
        assert.equal(resource.anyWatched, true);
        assert.equal(spanSite.anyWatched, true);
      });

      it('says anyWatched is false when only unwatched keys are present', () => {
        const bytes = encodeRequest(request([span('s', [attr(SOURCE_KEY, { stringValue: ID_A }), attr('not.watched', { stringValue: 'x' })])]));
        const [site] = codec.scan(bytes).sites;
        assert.equal(site!.anyWatched, false);
      });

      it('rejects truncated input and lengths running past the end with invalid_argument', () => {
        const bytes = encodeRequest(request([span('s', [attr(SOURCE_KEY, { stringValue: ID_A })])]));
        assertInvalidArgument(() => codec.scan(bytes.subarray(0, bytes.length - 3)));
        const lying = Buffer.from(bytes);
        lying[1] += 5; // ResourceSpans claims 5 bytes more than there are
        assertInvalidArgument(() => codec.scan(lying));
      });

      it('never throws anything but invalid_argument on random bytes', () => {
        const rng = mulberry32(2024);
        let rejected = 0;
        for (let i = 0; i < 3000; i++) {
          const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(rng() * 64) }, () => Math.floor(rng() * 256)));
          if (assertOnlyInvalidArgument(() => codec.scan(bytes), `random bytes #${i} ${bytes.toString('hex')}`) === 'rejected') rejected++;
        }
        assert.ok(rejected > 1000, `only ${rejected} of 3000 random inputs were rejected`);
      });
    });

    describe('apply', () => {
      it('returns a request equal to the input when nothing is added', () => {
        for (let seed = 1; seed <= 20; seed++) {
          const bytes = encodeRequest(randomTraceRequest(mulberry32(seed)));
          const scanned = codec.scan(bytes);
          const out = codec.apply(bytes, scanned, scanned.sites.map(() => undefined));
          assert.deepEqual(decodeRequest(out), decodeRequest(bytes), `seed ${seed}`);
        }
      });

      it('appends additions to the attributes of the chosen sites only', () => {
        const input = request([span('a', [attr(SOURCE_KEY, { stringValue: ID_A })]), span('b', [attr('x', { boolValue: true })]), span('c', [attr(SOURCE_KEY, { stringValue: ID_B })])], [attr(SOURCE_KEY, { stringValue: ID_B })]);
        const bytes = encodeRequest(input);
        const scanned = codec.scan(bytes);
        const name = stringAttribute('enduser.name', 'Ann Agent');
        const email = stringAttribute('enduser.email', 'ann@example.com');
        const out = codec.apply(bytes, scanned, [[email], [name, email], []]);

        const expected = structuredClone(input);
        const rs = expected.resourceSpans![0];
        rs.resource!.attributes!.push(attr('enduser.email', { stringValue: 'ann@example.com' }));
        rs.scopeSpans![0].spans![0].attributes!.push(attr('enduser.name', { stringValue: 'Ann Agent' }), attr('enduser.email', { stringValue: 'ann@example.com' }));
        assert.deepEqual(decodeRequest(out), decodeRequest(encodeRequest(expected)));
      });

      it('carries every other field through unchanged', () => {
        const input = everyFieldRequest();
        const bytes = encodeRequest(input);
        const scanned = codec.scan(bytes);
        assert.equal(scanned.sites.length, 1);
        const out = codec.apply(bytes, scanned, [[stringAttribute('genesys.division.name', 'Home')]]);
        const expected = structuredClone(input);
        expected.resourceSpans![0].scopeSpans![0].spans![0].attributes!.push(attr('genesys.division.name', { stringValue: 'Home' }));
        assert.deepEqual(decodeRequest(out), decodeRequest(encodeRequest(expected)));
      });

      it('keeps lengths right when additions grow a span past a varint size boundary', () => {
        // 300 attributes of ~57 bytes take each changed span past 16 KiB: span, ScopeSpans and
        // ResourceSpans length prefixes all grow from 2 to 3 bytes.
        const bytes = encodeRequest(makeRequest({ spans: 40, withUserIdRatio: 0.5, resources: 2, scopesPerResource: 2 }));
        const scanned = codec.scan(bytes);
        const many = Array.from({ length: 300 }, (_, i) => stringAttribute(`enrich.${i}`, 'v'.repeat(40)));
        const out = codec.apply(bytes, scanned, scanned.sites.map(() => many));
        const rescanned = codec.scan(out);
        assert.equal(rescanned.spanCount, 40);
        assert.deepEqual(rescanned.sites.map((s) => s.sourceValue), scanned.sites.map((s) => s.sourceValue));
        const spans = (decodeRequest(out) as { resourceSpans: { scopeSpans: { spans: { attributes: unknown[] }[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
        assert.equal(spans.filter((s) => s.attributes.length === 9 + 300).length, 20);
      });

      it('refuses a ScannedBatch that is not its own scan of these bytes, and a wrong number of additions', () => {
        const bytes = encodeRequest(request([span('a', [attr(SOURCE_KEY, { stringValue: ID_A })])]));
        const scanned = codec.scan(bytes);
        const isInternal = (err: unknown) => err instanceof PipelineError && err.code === 'internal';
        assert.throws(() => codec.apply(Buffer.from(bytes), scanned, [undefined]), isInternal);
        assert.throws(() => codec.apply(bytes, { spanCount: 1, sites: scanned.sites }, [undefined]), isInternal);
        assert.throws(() => codec.apply(bytes, scanned, []), isInternal);
      });
    });

    it('rejects bad options at construction', () => {
      assert.throws(() => codecCase.create({ sourceKey: '', watchedKeys: [] }), RangeError);
      assert.throws(() => codecCase.create({ sourceKey: 'k', watchedKeys: Array.from({ length: 32 }, (_, i) => `k${i}`) }), /at most 31/);
    });
  });
}
