import type { StringAttribute } from './types';
import { lengthDelimitedTag, varintSize, writeVarint } from './wire/varint';

const KEY_VALUE_KEY = lengthDelimitedTag(1);
const KEY_VALUE_VALUE = lengthDelimitedTag(2);
const ANY_VALUE_STRING = lengthDelimitedTag(1);

/**
 * Makes an attribute to add, encoding the KeyValue message body
 * (`key`, `value.string_value`) once. Build these when a user is resolved,
 * not per span. An empty `key` is rejected (OpenTelemetry keys are non-empty);
 * an empty `value` is kept and encoded as an explicit empty string.
 */
export function stringAttribute(key: string, value: string): StringAttribute {
  if (key.length === 0) throw new RangeError('stringAttribute: key must be a non-empty string');
  const keyLength = Buffer.byteLength(key, 'utf8');
  const valueLength = Buffer.byteLength(value, 'utf8');
  const anyValueSize = 1 + varintSize(valueLength) + valueLength;
  const size = 1 + varintSize(keyLength) + keyLength + 1 + varintSize(anyValueSize) + anyValueSize;
  // From Node's shared pool (every byte is written below): a cache of 100k users
  // holds half a million of these, and a backing store of its own for each
  // would cost more than the bytes themselves.
  const encoded = Buffer.allocUnsafe(size);
  let pos = 0;
  encoded[pos++] = KEY_VALUE_KEY;
  pos = writeVarint(encoded, pos, keyLength);
  pos += encoded.write(key, pos, keyLength, 'utf8');
  encoded[pos++] = KEY_VALUE_VALUE;
  pos = writeVarint(encoded, pos, anyValueSize);
  encoded[pos++] = ANY_VALUE_STRING;
  pos = writeVarint(encoded, pos, valueLength);
  pos += encoded.write(value, pos, valueLength, 'utf8');
  if (pos !== size) throw new Error(`stringAttribute: encoded ${pos} bytes, expected ${size}`);
  return Object.freeze({ key, value, encoded });
}
