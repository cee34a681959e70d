import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PipelineError } from '../../../../src/errors';
import { exportRequestType } from '../../../../src/otlp/protos';
import { otlpJsonToProtobuf } from '../../../../src/receiver/otlphttp/index';
import { decodeRequest, encodeRequest, makeRequest, mulberry32, randomTraceRequest, type TraceRequestObject } from '../../../helpers/otlpFixtures';

const HEX_IDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** OTLP/JSON of a request as the spec writes it: proto3 JSON with hex trace and span ids. */
function toOtlpJson(request: TraceRequestObject): string {
  const type = exportRequestType();
  const plain = type.toObject(type.fromObject(request), { longs: String, bytes: String, enums: Number, json: true });
  return JSON.stringify(plain, (key, value) => (HEX_IDS.has(key) && typeof value === 'string' ? Buffer.from(value, 'base64').toString('hex') : value));
}

const convert = (json: unknown) => otlpJsonToProtobuf(Buffer.from(typeof json === 'string' ? json : JSON.stringify(json)));

/** One span with `fields`, wrapped in a request. */
const withSpan = (fields: Record<string, unknown>) => ({ resourceSpans: [{ scopeSpans: [{ spans: [fields] }] }] });
const SPAN_PATH = 'resourceSpans[0].scopeSpans[0].spans[0]';

function refusal(json: unknown): string {
  try {
    convert(json);
  } catch (err) {
    assert.ok(err instanceof PipelineError, `a PipelineError, got ${err}`);
    assert.equal(err.code, 'invalid_argument');
    return err.message;
  }
  assert.fail('expected the request to be refused');
}

describe('otlpJsonToProtobuf', () => {
  it('gives the same bytes as encoding the request directly, over 300 random requests of every shape', () => {
    const rng = mulberry32(0x150);
    for (let i = 0; i < 300; i++) {
      const request = randomTraceRequest(rng);
      assert.deepEqual(convert(toOtlpJson(request)), encodeRequest(request), `request ${i}`);
    }
  });

  it('accepts snake_case names, int64 as numbers, enum names, upper-case hex, and ignores unknown fields and nulls', () => {
    const canonical = withSpan({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      name: 'x',
      kind: 2,
      startTimeUnixNano: '1544712660000000000',
      attributes: [{ key: 'n', value: { intValue: '7' } }],
      status: { code: 2 },
    });
    const relaxed = {
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'EEE19B7EC3C1B174',
                  name: 'x',
                  kind: 'SPAN_KIND_SERVER',
                  start_time_unix_nano: 1544712660000000000,
                  attributes: [{ key: 'n', value: { int_value: 7 } }],
                  status: { code: 'STATUS_CODE_ERROR', message: null },
                  parentSpanId: null,
                  someFutureField: { anything: [1, 2] },
                },
              ],
            },
          ],
        },
      ],
      futureTopLevel: true,
    };
    assert.deepEqual(convert(relaxed), convert(canonical));
    assert.deepEqual(decodeRequest(convert(canonical)), decodeRequest(encodeRequest(withSpan({
      traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'),
      spanId: Buffer.from('eee19b7ec3c1b174', 'hex'),
      name: 'x',
      kind: 2,
      startTimeUnixNano: '1544712660000000000',
      attributes: [{ key: 'n', value: { intValue: '7' } }],
      status: { code: 2 },
    }))));
  });

  it('keeps 64-bit values exactly, decodes base64 bytes and reads NaN and Infinity doubles', () => {
    const bytes = convert(withSpan({
      endTimeUnixNano: '18446744073709551615',
      attributes: [
        { key: 'min', value: { intValue: '-9223372036854775808' } },
        { key: 'raw', value: { bytesValue: 'AQID/w==' } },
        { key: 'urlsafe', value: { bytesValue: 'AQID_w' } },
        { key: 'inf', value: { doubleValue: 'Infinity' } },
      ],
    }));
    const span = (decodeRequest(bytes) as any).resourceSpans[0].scopeSpans[0].spans[0];
    assert.equal(span.endTimeUnixNano, '18446744073709551615');
    assert.equal(span.attributes[0].value.intValue, '-9223372036854775808');
    assert.equal(span.attributes[1].value.bytesValue, Buffer.from([1, 2, 3, 255]).toString('base64'));
    assert.equal(span.attributes[2].value.bytesValue, Buffer.from([1, 2, 3, 255]).toString('base64'));
    assert.equal(span.attributes[3].value.doubleValue, Infinity);
  });

  it('takes empty requests, and envelopes without spans', () => {
    assert.equal(convert({}).length, 0);
    assert.equal(convert({ resourceSpans: [] }).length, 0);
    const envelopeOnly = makeRequest({ spans: 0 });
    assert.deepEqual(convert(toOtlpJson(envelopeOnly)), encodeRequest(envelopeOnly), 'a resource and scope without spans');
  });

  it('refuses bad data as invalid_argument, naming the field', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{"resourceSpans":', /body is not valid JSON/],
      [[], /^invalid OTLP\/JSON: request: expected an object, got an array/],
      [{ resourceSpans: {} }, /resourceSpans: expected an array, got an object/],
      [withSpan({ traceId: 'zz' }), new RegExp(`${escape(SPAN_PATH)}\\.traceId: expected a hex string, got "zz"`)],
      [withSpan({ spanId: 'abcd' }), /spans\[0\]\.spanId: expected 16 hex digits, got 4/],
      [withSpan({ traceId: Buffer.alloc(16).toString('base64') }), /traceId: expected a hex string/],
      [withSpan({ name: 7 }), /spans\[0\]\.name: expected a string, got 7/],
      [withSpan({ startTimeUnixNano: 'soon' }), /startTimeUnixNano: expected an integer or a decimal string, got "soon"/],
      [withSpan({ startTimeUnixNano: '-1' }), /startTimeUnixNano: integer -1 is out of range/],
      [withSpan({ droppedAttributesCount: 2 ** 32 }), /droppedAttributesCount: integer 4294967296 is out of range/],
      [withSpan({ kind: 'SERVER' }), /kind: expected an integer or a name of SpanKind, got "SERVER"/],
      [withSpan({ attributes: [{ key: 'b', value: { boolValue: 'false' } }] }), /attributes\[0\]\.value\.boolValue: expected true or false, got "false"/],
      [withSpan({ attributes: [{ key: 'b', value: { bytesValue: 'not base64!' } }] }), /bytesValue: expected base64/],
      [withSpan({ attributes: [{ key: 'd', value: { doubleValue: 'many' } }] }), /doubleValue: expected a number, got "many"/],
      [withSpan({ attributes: [{ key: 'two', value: { stringValue: 'a', intValue: '1' } }] }), /value\.intValue: only one field of "value" may be set/],
      [withSpan({ attributes: [null] }), /attributes\[0\]: expected an object, got null/],
      [withSpan({ attributes: [{ key: 'deep', value: deepArray(150) }] }), /messages nested deeper than 200 levels/],
    ];
    for (const [json, expected] of cases) assert.match(refusal(json), expected);
  });

  it('keeps an error message short when the bad value is long', () => {
    const message = refusal(withSpan({ traceId: 'x'.repeat(10_000) }));
    assert.ok(message.length < 200, message);
  });
});

function deepArray(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { stringValue: 'bottom' };
  for (let i = 0; i < levels; i++) value = { arrayValue: { values: [value] } };
  return value;
}

function escape(text: string): string {
  return text.replace(/[[\].]/g, (c) => `\\${c}`);
}
