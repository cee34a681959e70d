import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueInterner } from '../../../../src/processor/codec/wire/valueInterner';

function decodeAll(interner: ValueInterner, ...values: string[]): string[] {
  const buf = Buffer.from(values.join(''), 'utf8');
  let at = 0;
  return values.map((v) => {
    const len = Buffer.byteLength(v, 'utf8');
    const out = interner.decode(buf, at, at + len);
    at += len;
    return out;
  });
}

describe('ValueInterner', () => {
  it('decodes like Buffer#toString("utf8") for ASCII, non-ASCII, empty and long values', () => {
    const values = ['0b6f3a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', 'Zoë Ångström 😀', '', 'x'.repeat(65), 'ab', 'ba'];
    assert.deepEqual(decodeAll(new ValueInterner(), ...values), values);
  });

  it('hands out the same string for the same bytes across calls', () => {
    const interner = new ValueInterner();
    const [a] = decodeAll(interner, 'same-id');
    const [b] = decodeAll(interner, 'same-id');
    assert.equal(a, 'same-id');
    assert.equal(b, a);
  });

  it('stays correct when more distinct values pass than it keeps', () => {
    const interner = new ValueInterner();
    for (let i = 0; i < 10_000; i++) {
      const v = `id-${i}`;
      assert.equal(decodeAll(interner, v)[0], v);
    }
  });
});
