/**
 * Writing side of the protobuf varint encoding, for the lengths and tags the
 * codec emits. Values are non-negative integers below 2^31 (message sizes),
 * so 32-bit arithmetic is enough.
 */

/** Bytes that `writeVarint` uses for `value` (0 <= value < 2^31). */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** Writes `value` (0 <= value < 2^31) at `pos`; returns the position after it. */
export function writeVarint(out: Uint8Array, pos: number, value: number): number {
  while (value >= 0x80) {
    out[pos++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  out[pos++] = value;
  return pos;
}

/** Protobuf wire types. Groups (3, 4) are deprecated and rejected by the walker. */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

/** The one-byte tag of a length-delimited field with a number below 16. */
export function lengthDelimitedTag(fieldNumber: number): number {
  return (fieldNumber << 3) | WireType.LengthDelimited;
}
