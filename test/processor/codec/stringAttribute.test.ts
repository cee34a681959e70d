import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { otlpRoot } from '../../../src/otlp/protos';
import { stringAttribute } from '../../../src/processor/codec';
import { kvString } from '../../helpers/otlpWire';

const KeyValue = otlpRoot().lookupType('opentelemetry.proto.common.v1.KeyValue');

describe('stringAttribute', () => {
  it('pre-encodes the KeyValue body: key, then value.string_value', () => {
    const a = stringAttribute('enduser.name', 'Ann Agent');
    assert.deepEqual(a.encoded, kvString('enduser.name', 'Ann Agent'));
    assert.deepEqual(KeyValue.toObject(KeyValue.decode(a.encoded)), { key: 'enduser.name', value: { stringValue: 'Ann Agent' } });
    assert.deepEqual([a.key, a.value], ['enduser.name', 'Ann Agent']);
  });

  it('encodes UTF-8 and values longer than 127 bytes (multi-byte length prefixes)', () => {
    for (const value of ['Zoë Ångström 😀', 'x'.repeat(128), 'y'.repeat(20_000)]) {
      const decoded = KeyValue.toObject(KeyValue.decode(stringAttribute('k', value).encoded));
      assert.equal((decoded as { value: { stringValue: string } }).value.stringValue, value);
    }
  });

  it('keeps an empty value as an explicit empty string', () => {
    const decoded = KeyValue.decode(stringAttribute('k', '').encoded) as unknown as { value: { value: string } };
    assert.equal(decoded.value.value, 'stringValue');
  });

  it('rejects an empty key', () => {
    assert.throws(() => stringAttribute('', 'v'), RangeError);
  });

  it('returns a frozen attribute, safe to share across batches', () => {
    assert.ok(Object.isFrozen(stringAttribute('k', 'v')));
  });
});
