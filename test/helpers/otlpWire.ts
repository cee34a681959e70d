/**
 * A hand-rolled protobuf writer for tests that need bytes no encoder would
 * produce: malformed input, unknown fields, repeated singular fields, odd
 * field order, overlong varints. Every function returns a Buffer.
 */

/** Canonical varint of a non-negative integer (bigint for 64-bit values). */
export function varint(value: number | bigint): Buffer {
  let v = BigInt(value);
  if (v < 0n) v &= (1n << 64n) - 1n; // int64 negatives take 10 bytes, as on the wire
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

/** A field tag. */
export function tag(field: number, wireType: number): Buffer {
  return varint((BigInt(field) << 3n) | BigInt(wireType));
}

/** A length-delimited field: `field` with the concatenated `parts` as payload. */
export function message(field: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([tag(field, 2), varint(body.length), body]);
}

/** A string (or bytes) field. */
export function str(field: number, value: string | Buffer): Buffer {
  return message(field, typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
}

/** A varint field. */
export function varintField(field: number, value: number | bigint): Buffer {
  return Buffer.concat([tag(field, 0), varint(value)]);
}

/** A fixed32 field. */
export function fixed32(field: number, value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return Buffer.concat([tag(field, 5), b]);
}

/** A fixed64 field. */
export function fixed64(field: number, value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return Buffer.concat([tag(field, 1), b]);
}

/** KeyValue body with a string value. */
export function kvString(key: string, value: string): Buffer {
  return Buffer.concat([str(1, key), message(2, str(1, value))]);
}

/** KeyValue body with an int value. */
export function kvInt(key: string, value: number | bigint): Buffer {
  return Buffer.concat([str(1, key), message(2, varintField(3, value))]);
}

/** A whole request: one ResourceSpans (optional Resource body), one ScopeSpans holding the span bodies. */
export function requestWith(spanBodies: Buffer[], resourceBody?: Buffer): Buffer {
  const resource = resourceBody === undefined ? [] : [message(1, resourceBody)];
  return message(1, ...resource, message(2, ...spanBodies.map((s) => message(2, s))));
}

/**
 * An attribute value nested `levels` AnyValues deep: ArrayValue inside
 * ArrayValue ..., with a string at the bottom. Returns the KeyValue body.
 */
export function nestedArrayAttribute(key: string, levels: number): Buffer {
  let value = str(1, 'bottom'); // AnyValue body at the deepest level
  for (let i = 1; i < levels; i++) value = message(5, message(1, value)); // AnyValue{array_value{values: [value]}}
  return Buffer.concat([str(1, key), message(2, value)]);
}
