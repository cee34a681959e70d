/**
 * Hostile requests through the whole service (simulator, enricher, gRPC sink),
 * sent as hand-built bytes: each is handled without a crash, and the ordinary
 * spans travelling in the same request come out enriched and otherwise
 * untouched (checked on what the sink decoded and on the raw bytes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { type Harness, startHarness } from '../helpers/enricherHarness';
import { attributesOf } from '../helpers/grpcSink';
import { fixed64, kvInt, kvString, message, nestedArrayAttribute, str, varintField } from '../helpers/otlpWire';
import { type RawClient, rawClient } from '../helpers/rawGrpcClient';
import { requestOf, spanBody } from '../telemetry/support/wireSpans';

const SOURCE = 'external.user.id';

/** A KeyValue body whose AnyValue body is `anyValue` (or no value at all). */
function kvAny(key: string, anyValue?: Buffer): Buffer {
  return anyValue === undefined ? str(1, key) : Buffer.concat([str(1, key), message(2, anyValue)]);
}

describe('hostile input through the whole service', () => {
  let h: Harness;
  let raw: RawClient;
  let run = 0;
  let alice: string;
  let bob: string;
  let aliceName: string;
  before(async () => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '3000' } });
    raw = rawClient(h.service.grpcPort);
    [alice, bob] = h.sim.org.active;
    aliceName = h.sim.getUser(alice)!.name;
  });
  after(async () => {
    raw.close();
    await h.close();
  });

  /** Sends `spans` (named by the caller) around two ordinary spans; returns the sink's spans of this request by name. */
  async function sendAmongOrdinary(spans: Buffer[]) {
    const tag = `run-${++run}`;
    const ordinary = [spanBody(`${tag}-ordinary-1`, kvString(SOURCE, alice), kvString('k', 'v')), spanBody(`${tag}-ordinary-2`, kvString(SOURCE, bob))];
    const request = requestOf(ordinary[0], ...spans, ordinary[1]);
    const before = h.sink.spans().length;
    const outcome = await raw.export(request, { timeoutMs: 10_000 });
    assert.equal(outcome.code, grpc.status.OK, outcome.details);
    const got = await h.sink.waitForSpans(before + spans.length + 2);
    const received = h.sink.requests[h.sink.requests.length - 1];
    const byName = new Map(got.slice(before).map((s) => [s.name, s]));
    // The ordinary spans are enriched, and their own attributes are intact.
    const one = byName.get(`${tag}-ordinary-1`)!;
    assert.equal(one.attributes['user.full_name'], aliceName);
    assert.equal(one.attributes.k, 'v');
    assert.equal(byName.get(`${tag}-ordinary-2`)!.attributes['genesys.user.state'], 'active');
    return { byName, receivedBytes: received.bytes, decoded: received.decoded };
  }

  /** The attribute list of span `name` exactly as decoded (duplicates kept, in order). */
  function attributeList(decoded: Record<string, unknown>, name: string): [string, unknown][] {
    const spans = (decoded.resourceSpans as any[]).flatMap((rs) => rs.scopeSpans.flatMap((ss: any) => ss.spans as any[]));
    const span = spans.find((s) => s.name === name);
    return (span.attributes as { key: string }[]).map((kv) => [kv.key, attributesOf([kv as never])[kv.key]]);
  }

  it('passes AnyValues nested to the depth limit, refuses deeper ones with INVALID_ARGUMENT, and keeps serving', async () => {
    const deep = nestedArrayAttribute('deep', 64);
    const { byName, receivedBytes } = await sendAmongOrdinary([spanBody('nested-64', deep, kvString(SOURCE, alice))]);
    assert.equal(byName.get('nested-64')!.attributes['user.full_name'], aliceName);
    assert.ok(receivedBytes.includes(message(9, deep)), 'the nested attribute arrived byte for byte');

    for (const levels of [65, 5_000]) {
      const refused = await raw.export(requestOf(spanBody('too-deep', nestedArrayAttribute('deep', levels))));
      assert.equal(refused.code, grpc.status.INVALID_ARGUMENT, `${levels} levels`);
      assert.match(refused.details, /depth|nest/i);
    }
    await sendAmongOrdinary([]);
  });

  it('carries huge strings through untouched, and never looks a huge id up', async () => {
    const hugeValue = 'x'.repeat(2 * 1024 * 1024); // the sink, like Jaeger, takes requests up to 4 MiB
    const hugeKey = 'k'.repeat(64 * 1024);
    const { byName } = await sendAmongOrdinary([
      spanBody('huge-value', kvString('payload', hugeValue), kvString(hugeKey, 'v')),
      spanBody('huge-id', kvString(SOURCE, `${alice}${'0'.repeat(512 * 1024)}`)),
    ]);
    assert.equal((byName.get('huge-value')!.attributes.payload as string).length, hugeValue.length);
    assert.equal(byName.get('huge-value')!.attributes[hugeKey], 'v');
    assert.equal(byName.get('huge-id')!.attributes['genesys.user.lookup'], 'not_found');
  });

  it('forwards invalid UTF-8 byte for byte, and marks an id that is not valid UTF-8 not_found', async () => {
    const badValue = Buffer.concat([str(1, 'label'), message(2, str(1, Buffer.from([0x61, 0xff, 0xfe, 0xc3, 0x28])))]);
    const badName = Buffer.from([0x6f, 0x70, 0xc0, 0xaf]);
    const badId = Buffer.from(alice);
    badId[4] = 0xff;
    const badIdKv = Buffer.concat([str(1, SOURCE), message(2, str(1, badId))]);
    const odd = Buffer.concat([str(1, Buffer.alloc(16, 9)), str(2, Buffer.alloc(8, 9)), str(5, badName), message(9, badValue), message(9, kvString('test.case', 'utf8'))]);
    const { byName, receivedBytes, decoded } = await sendAmongOrdinary([odd, spanBody('bad-utf8-id', badIdKv)]);

    assert.ok(receivedBytes.includes(message(9, badValue)), 'the attribute with invalid UTF-8 arrived verbatim');
    assert.ok(receivedBytes.includes(str(5, badName)), 'so did the span name');
    assert.ok(receivedBytes.includes(message(9, badIdKv)), 'and the id');
    assert.equal(byName.get('bad-utf8-id')!.attributes['genesys.user.lookup'], 'not_found');
    const spans = (decoded.resourceSpans as any[]).flatMap((rs) => rs.scopeSpans.flatMap((ss: any) => ss.spans as any[]));
    assert.equal(spans.length, 4, 'no span lost or added');
  });

  it('marks non-string external.user.id values not_found and leaves the value as it was', async () => {
    const uuidBytes = Buffer.from(alice);
    const kinds: [string, Buffer | undefined][] = [
      ['int', varintField(3, 42)],
      ['bool', varintField(2, 1)],
      ['double', fixed64(4, 0x3ff0000000000000n)],
      ['bytes', str(7, uuidBytes)],
      ['array', message(5, message(1, str(1, alice)))],
      ['kvlist', message(6, message(1, kvString('id', alice)))],
      ['empty AnyValue', Buffer.alloc(0)],
      ['no value', undefined],
    ];
    const { byName, decoded } = await sendAmongOrdinary(kinds.map(([kind, value]) => spanBody(`id-${kind}`, kvAny(SOURCE, value))));
    for (const [kind] of kinds) {
      const span = byName.get(`id-${kind}`)!;
      assert.equal(span.attributes['genesys.user.lookup'], 'not_found', kind);
      assert.equal(span.attributes['user.full_name'], undefined, kind);
    }
    assert.equal(byName.get('id-int')!.attributes[SOURCE], 42);
    assert.deepEqual(byName.get('id-array')!.attributes[SOURCE], [alice]);
    assert.deepEqual(byName.get('id-bytes')!.attributes[SOURCE], uuidBytes);
    assert.deepEqual(attributeList(decoded, 'id-no value'), [[SOURCE, undefined], ['genesys.user.lookup', 'not_found']]);
  });

  it('takes the first of duplicated ids, never overwrites attributes the sender set, and keeps duplicates', async () => {
    const { byName, decoded } = await sendAmongOrdinary([
      spanBody('dup-ids', kvString(SOURCE, alice), kvString(SOURCE, bob)),
      spanBody('dup-first-not-string', kvInt(SOURCE, 7), kvString(SOURCE, alice)),
      spanBody('dup-preset', kvString(SOURCE, alice), kvString('user.full_name', 'Set By Sender'), kvString('user.full_name', 'Twice'), kvString('k', '1'), kvString('k', '2')),
    ]);
    assert.equal(byName.get('dup-ids')!.attributes['user.full_name'], aliceName, 'the first id decides');
    assert.equal(byName.get('dup-first-not-string')!.attributes['genesys.user.lookup'], 'not_found');
    const preset = attributeList(decoded, 'dup-preset');
    assert.deepEqual(preset.slice(0, 5), [
      [SOURCE, alice],
      ['user.full_name', 'Set By Sender'],
      ['user.full_name', 'Twice'],
      ['k', '1'],
      ['k', '2'],
    ]);
    assert.ok(!preset.slice(5).some(([key]) => key === 'user.full_name'), 'no third user.full_name');
    assert.ok(preset.slice(5).some(([key, value]) => key === 'genesys.user.state' && value === 'active'), 'the other attributes were added');
  });

  it('answers garbage, truncations and empty requests without crashing, and keeps serving', async () => {
    const valid = requestOf(spanBody('whole', kvString(SOURCE, alice)));
    for (const bytes of [Buffer.from([0xff, 0xff]), valid.subarray(0, valid.length - 3), Buffer.alloc(1024, 0xff)]) {
      assert.equal((await raw.export(bytes)).code, grpc.status.INVALID_ARGUMENT);
    }
    assert.equal((await raw.export(Buffer.alloc(0))).code, grpc.status.OK, 'an empty request is a valid request with no spans');
    await sendAmongOrdinary([]);
  });
});
