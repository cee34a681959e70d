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
  const keyBytes = Buffer.from(key, 'utf8');
  const valueBytes = Buffer.from(value, 'utf8');
  const anyValueSize = 1 + varintSize(valueBytes.length) + valueBytes.length;
  const size = 1 + varintSize(keyBytes.length) + keyBytes.length + 1 + varintSize(anyValueSize) + anyValueSize;
  const encoded = Buffer.alloc(size);
  let pos = 0;
  encoded[pos++] = KEY_VALUE_KEY;
  pos = writeVarint(encoded, pos, keyBytes.length);
  pos += keyBytes.copy(encoded, pos);
  encoded[pos++] = KEY_VALUE_VALUE;
  pos = writeVarint(encoded, pos, anyValueSize);
  encoded[pos++] = ANY_VALUE_STRING;
  pos = writeVarint(encoded, pos, valueBytes.length);
  valueBytes.copy(encoded, pos);
  return Object.freeze({ key, value, encoded });
}
