import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WireReader, fieldMask } from '../../../../src/processor/codec/wire/wireReader';
import { tag, varint } from '../../../helpers/otlpWire';
import { assertInvalidArgument } from '../codecCases';

const reader = (bytes: Buffer | number[]) => new WireReader(Buffer.from(bytes));

describe('WireReader', () => {
  it('reads varints of 1 to 10 bytes', () => {
    for (const value of [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      const bytes = varint(value);
      const r = reader(bytes);
      assert.equal(r.readVarint(bytes.length), value);
      assert.equal(r.pos, bytes.length);
    }
    const r = reader(varint(-1n)); // 10 bytes
    assert.ok(r.readVarint(10) > 2 ** 63 - 2 ** 12); // approximate above 2^53, by design
    assert.equal(r.pos, 10);
  });

  it('accepts non-canonical (padded) varints up to 10 bytes', () => {
    const r = reader([0x81, 0x80, 0x80, 0x00]);
    assert.equal(r.readVarint(4), 1);
  });

  it('rejects truncated, over-long and overflowing varints', () => {
    assertInvalidArgument(() => reader([0x80, 0x80]).readVarint(2), /truncated varint/);
    assertInvalidArgument(() => reader([0x01]).readVarint(0), /truncated varint/);
    assertInvalidArgument(() => reader([...Array(10).fill(0x80), 0x00]).readVarint(11), /longer than 10 bytes/);
    assertInvalidArgument(() => reader([...Array(9).fill(0xff), 0x02]).readVarint(10), /overflows 64 bits/);
  });

  it('bounds reads by the end of the current message, not of the buffer', () => {
    const r = reader([0x01, 0xaa, 0xbb]);
    assertInvalidArgument(() => r.readVarint(0), /truncated/);
    assertInvalidArgument(() => reader([0x02, 0xaa, 0xbb]).readLengthEnd(2), /runs past the end/);
    assert.equal(reader([0x02, 0xaa, 0xbb]).readLengthEnd(3), 3);
    assertInvalidArgument(() => reader([1, 2, 3, 4, 5, 6, 7, 8]).skipFixed(8, 7), /truncated fixed64/);
  });

  it('reads tags and rejects field number 0 and numbers beyond 2^29-1', () => {
    assert.equal(reader(tag(16, 5)).readTag(2), (16 << 3) | 5);
    assertInvalidArgument(() => reader([0x02]).readTag(1), /field number 0/);
    assertInvalidArgument(() => reader([0x02, 0x05]).readTag(2), /field number 0/);
    assertInvalidArgument(() => reader([0x82, 0x00]).readTag(2), /field number 0/); // padded, still field 0
    assertInvalidArgument(() => reader(varint(2n ** 33n)).readTag(5), /invalid field number/);
  });

  it('skips unknown fields by wire type, and refuses known fields with the wrong one, groups and wire types 6-7', () => {
    const r = reader([...tag(20, 1), 1, 2, 3, 4, 5, 6, 7, 8, ...tag(21, 5), 1, 2, 3, 4, ...tag(22, 0), 0x80, 0x01]);
    for (let i = 0; i < 3; i++) r.skipOther(r.readTag(r.buf.length), r.buf.length, fieldMask(1), 'Test');
    assert.equal(r.pos, r.buf.length);
    assertInvalidArgument(() => {
      const k = reader(tag(1, 0));
      k.skipOther(k.readTag(1), 1, fieldMask(1), 'Test');
    }, /Test field 1 has wrong wire type 0/);
    for (const wireType of [3, 4, 6, 7]) {
      const g = reader(tag(9, wireType));
      assertInvalidArgument(() => g.skipOther(g.readTag(1), 1, 0, 'Test'));
    }
  });
});
