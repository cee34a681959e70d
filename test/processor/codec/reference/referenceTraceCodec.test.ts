/**
 * What the reference codec does beyond the shared contract: it is plain
 * protobufjs (decode, push, encode), with the limits it inherits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ANY_VALUE_DEPTH, ReferenceTraceCodec, stringAttribute } from '../../../../src/processor/codec';
import { SOURCE_KEY, decodeRequest, encodeRequest, makeRequest } from '../../../helpers/otlpFixtures';
import { kvString, message, nestedArrayAttribute, requestWith, str, varintField } from '../../../helpers/otlpWire';
import { CODEC_OPTIONS, assertInvalidArgument } from '../codecCases';

const codec = new ReferenceTraceCodec(CODEC_OPTIONS);
const NAME = stringAttribute('enduser.name', 'Ann Agent');

describe('ReferenceTraceCodec', () => {
  it('leaves the scanned batch as scanned: applying twice gives the same request', () => {
    const bytes = encodeRequest(makeRequest({ spans: 6, withUserIdRatio: 1 }));
    const scanned = codec.scan(bytes);
    const additions = scanned.sites.map(() => [NAME]);
    const first = codec.apply(bytes, scanned, additions);
    assert.deepEqual(codec.apply(bytes, scanned, additions), first);
    assert.deepEqual(decodeRequest(codec.apply(bytes, scanned, additions.map(() => undefined))), decodeRequest(bytes));
  });

  it('rejects AnyValues nested deeper than the limit, like the wire codec', () => {
    const span = (levels: number) => Buffer.concat([str(5, 'op'), message(9, kvString(SOURCE_KEY, 'u1')), message(9, nestedArrayAttribute('deep', levels))]);
    assert.equal(codec.scan(requestWith([span(MAX_ANY_VALUE_DEPTH)])).spanCount, 1);
    assertInvalidArgument(() => codec.scan(requestWith([span(MAX_ANY_VALUE_DEPTH + 1)])), /nested deeper/);
    assertInvalidArgument(() => codec.scan(requestWith([span(1000)])), /nested deeper/);
  });

  it('reports protobufjs decode failures as invalid_argument', () => {
    assertInvalidArgument(() => codec.scan(Buffer.from([0x0a, 0x05, 0x01])), /^malformed OTLP trace request: /);
  });

  it('drops unknown fields (protobufjs does not keep them), unlike the wire codec', () => {
    const bytes = requestWith([Buffer.concat([str(5, 'op'), message(9, kvString(SOURCE_KEY, 'u1')), varintField(99, 1)])]);
    const out = codec.apply(bytes, codec.scan(bytes), [[NAME]]);
    assert.equal(out.includes(varintField(99, 1)), false);
  });
});
