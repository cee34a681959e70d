/**
 * Checks and converts one scalar of OTLP/JSON into what protobufjs `fromObject`
 * takes without guessing: protobufjs itself would turn `"abc"` into NaN, `"false"`
 * into true and garbage into base64 bytes. Each function throws a
 * {@link JsonValueError} describing the problem; the caller adds the field path.
 */

/** What is wrong with one JSON value, without its location. */
export class JsonValueError extends Error {
  override name = 'JsonValueError';
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

const RANGES_32: Readonly<Record<string, readonly [number, number]>> = {
  int32: [-0x80000000, 0x7fffffff],
  sint32: [-0x80000000, 0x7fffffff],
  sfixed32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  fixed32: [0, 0xffffffff],
};
const UNSIGNED_64 = new Set(['uint64', 'fixed64']);
const MAX_U64 = (1n << 64n) - 1n;
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

/** A scalar of protobuf type `type` (not bytes, not an enum), ready for `fromObject`. */
export function scalar(type: string, value: unknown): unknown {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') throw new JsonValueError(`expected a string, got ${kind(value)}`);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw new JsonValueError(`expected true or false, got ${kind(value)}`);
      return value;
    case 'double':
    case 'float':
      return floating(value);
  }
  if (type in RANGES_32) return int32(RANGES_32[type], value);
  return int64(UNSIGNED_64.has(type), value);
}

/** A 64-bit integer, number or decimal string (OTLP/JSON sends strings), as a decimal string. */
function int64(unsigned: boolean, value: unknown): string {
  const text = typeof value === 'number' && Number.isInteger(value) ? BigInt(value).toString() : value;
  if (typeof text !== 'string' || !INTEGER.test(text)) throw new JsonValueError(`expected an integer or a decimal string, got ${kind(value)}`);
  const n = BigInt(text);
  if (unsigned ? n < 0n || n > MAX_U64 : n < MIN_I64 || n > MAX_I64) throw new JsonValueError(`integer ${text} is out of range`);
  return n.toString();
}

function int32([min, max]: readonly [number, number], value: unknown): number {
  const n = typeof value === 'string' && INTEGER.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new JsonValueError(`expected an integer, got ${kind(value)}`);
  if (n < min || n > max) throw new JsonValueError(`integer ${n} is out of range`);
  return n;
}

/** A double: a number, a numeric string, or "NaN", "Infinity", "-Infinity" (proto3 JSON). */
function floating(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && (DECIMAL.test(value) || value === 'NaN' || value === 'Infinity' || value === '-Infinity')) {
    return Number(value);
  }
  throw new JsonValueError(`expected a number, got ${kind(value)}`);
}

/** Standard or URL-safe base64, padding optional (proto3 JSON `bytes`). */
export function base64Bytes(value: unknown): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new JsonValueError(`expected base64, got ${kind(value)}`);
  return Buffer.from(value, 'base64'); // node's decoder reads both alphabets
}

/** A trace or span id: case-insensitive hex of `bytes` bytes, or empty (OTLP/JSON deviation from proto3 JSON). */
export function hexId(value: unknown, bytes: number): Buffer {
  if (typeof value !== 'string' || !HEX.test(value)) throw new JsonValueError(`expected a hex string, got ${kind(value)}`);
  if (value.length !== 0 && value.length !== bytes * 2) throw new JsonValueError(`expected ${bytes * 2} hex digits, got ${value.length}`);
  return Buffer.from(value, 'hex');
}

/** Describes a JSON value for an error without quoting long input. */
export function kind(value: unknown): string {
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : `a string of ${value.length} characters`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
