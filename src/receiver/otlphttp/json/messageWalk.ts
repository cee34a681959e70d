import protobuf from 'protobufjs';
import { JsonValueError, base64Bytes, hexId, kind, scalar } from './scalars';

/**
 * Nesting limit of messages in one request. AnyValues nest two messages per
 * level and the pipeline refuses AnyValues nested past 64 levels anyway; this
 * only keeps the recursion bounded on hostile input.
 */
const MAX_DEPTH = 200;

/** Byte length of the OTLP id fields, which OTLP/JSON writes in hex rather than base64. */
const HEX_ID_BYTES: ReadonlyMap<string, number> = new Map([
  ['traceId', 16],
  ['spanId', 8],
  ['parentSpanId', 8],
]);

/** A problem at a field path such as `resourceSpans[0].scopeSpans[0].spans[2].traceId`. */
export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

/**
 * Turns a parsed OTLP/JSON message of `type` into the plain object protobufjs
 * `fromObject` reads: fields by their lowerCamelCase names (snake_case accepted),
 * unknown fields and nulls dropped, ids decoded from hex, every scalar checked.
 * Throws a {@link JsonPathError} naming the first bad field.
 */
export function plainMessage(type: protobuf.Type, json: unknown, path: string, depth = 0): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw at(path, `expected an object, got ${kind(json)}`);
  if (depth > MAX_DEPTH) throw at(path, `messages nested deeper than ${MAX_DEPTH} levels`);
  const fields = fieldsByJsonName(type);
  const out: Record<string, unknown> = {};
  const oneofsSeen = new Set<string>();
  for (const [key, value] of Object.entries(json)) {
    const field = fields.get(key);
    // Unknown fields are ignored (OTLP spec); a snake_case spelling yields to a camelCase one.
    if (!field || value === null || (key !== field.name && Object.hasOwn(json, field.name))) continue;
    const fieldPath = path ? `${path}.${field.name}` : field.name;
    if (field.partOf) {
      if (oneofsSeen.has(field.partOf.name)) throw at(fieldPath, `only one field of "${field.partOf.name}" may be set`);
      oneofsSeen.add(field.partOf.name);
    }
    out[field.name] = field.repeated ? plainList(field, value, fieldPath, depth) : plainValue(field, value, fieldPath, depth);
  }
  return out;
}

function plainList(field: protobuf.Field, json: unknown, path: string, depth: number): unknown[] {
  if (!Array.isArray(json)) throw at(path, `expected an array, got ${kind(json)}`);
  return json.map((item, i) => plainValue(field, item, `${path}[${i}]`, depth));
}

function plainValue(field: protobuf.Field, json: unknown, path: string, depth: number): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return plainMessage(resolved, json, path, depth + 1);
  try {
    if (resolved instanceof protobuf.Enum) return enumNumber(resolved, json);
    if (field.type !== 'bytes') return scalar(field.type, json);
    const idBytes = HEX_ID_BYTES.get(field.name);
    return idBytes === undefined ? base64Bytes(json) : hexId(json, idBytes);
  } catch (err) {
    if (err instanceof JsonValueError) throw at(path, err.message);
    throw err;
  }
}

/** OTLP/JSON sends enums as integers; names are accepted too, as proto3 JSON allows. */
function enumNumber(type: protobuf.Enum, json: unknown): number {
  if (typeof json === 'string' && json in type.values) return type.values[json];
  if (typeof json === 'number' && Number.isInteger(json) && Math.abs(json) <= 0x7fffffff) return json;
  throw new JsonValueError(`expected an integer or a name of ${type.name}, got ${kind(json)}`);
}

const FIELD_MAPS = new WeakMap<protobuf.Type, ReadonlyMap<string, protobuf.Field>>();

/** Each field under its lowerCamelCase name and its proto (snake_case) name, built once per type. */
function fieldsByJsonName(type: protobuf.Type): ReadonlyMap<string, protobuf.Field> {
  let map = FIELD_MAPS.get(type);
  if (!map) {
    const entries = type.fieldsArray.flatMap((f): Array<[string, protobuf.Field]> => [
      [f.name, f],
      [f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), f],
    ]);
    map = new Map(entries);
    FIELD_MAPS.set(type, map);
  }
  return map;
}

function at(path: string, message: string): JsonPathError {
  return new JsonPathError(`${path || 'request'}: ${message}`);
}
