/**
 * Validating walkers for AnyValue and what nests inside it (ArrayValue,
 * KeyValueList, KeyValue), from opentelemetry/proto/common/v1. They check
 * wire types, bounds and nesting depth, and skip payloads without decoding.
 */
import { MAX_ANY_VALUE_DEPTH } from '../types';
import { fieldMask, type WireReader } from './wireReader';

const enum AnyValueTag {
  String = (1 << 3) | 2,
  Bool = (2 << 3) | 0,
  Int = (3 << 3) | 0,
  Double = (4 << 3) | 1,
  Array = (5 << 3) | 2,
  KvList = (6 << 3) | 2,
  Bytes = (7 << 3) | 2,
}
const ANY_VALUE_FIELDS = fieldMask(1, 2, 3, 4, 5, 6, 7);
const VALUES_TAG = (1 << 3) | 2; // ArrayValue.values, KeyValueList.values
const VALUES_FIELDS = fieldMask(1);

/** Member number of `AnyValue.string_value`. */
export const STRING_MEMBER = 1;

/**
 * What a walked AnyValue held: the `oneof value` member set last (0: none),
 * and where the string is when that member is `string_value`. Repeated
 * members follow protobuf merge rules: the last one wins.
 */
export class AnyValueProbe {
  member = 0;
  stringStart = 0;
  stringEnd = 0;
}

/**
 * Walks an AnyValue payload ending at `end`. `depth` is this value's nesting
 * level (1 for an attribute value); deeper than MAX_ANY_VALUE_DEPTH is
 * malformed. When `probe` is given, records what the value holds.
 */
export function walkAnyValue(r: WireReader, end: number, depth: number, probe: AnyValueProbe | null): void {
  if (depth > MAX_ANY_VALUE_DEPTH) r.fail(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  while (r.pos < end) {
    const tag = r.readTag(end);
    switch (tag) {
      case AnyValueTag.String: {
        const stringEnd = r.readLengthEnd(end);
        if (probe !== null) {
          probe.stringStart = r.pos;
          probe.stringEnd = stringEnd;
        }
        r.pos = stringEnd;
        break;
      }
      case AnyValueTag.Bool:
      case AnyValueTag.Int:
        r.skipVarint(end);
        break;
      case AnyValueTag.Double:
        r.skipFixed(8, end);
        break;
      case AnyValueTag.Bytes:
        r.skipBytes(end);
        break;
      case AnyValueTag.Array:
        walkArrayValue(r, r.readLengthEnd(end), depth);
        break;
      case AnyValueTag.KvList:
        walkKeyValueList(r, r.readLengthEnd(end), depth);
        break;
      default:
        r.skipOther(tag, end, ANY_VALUE_FIELDS, 'AnyValue');
        continue; // an unknown field is not a oneof member
    }
    if (probe !== null) probe.member = tag >>> 3;
  }
}

/** Walks an ArrayValue that sits inside an AnyValue at `depth`. */
function walkArrayValue(r: WireReader, end: number, depth: number): void {
  while (r.pos < end) {
    const tag = r.readTag(end);
    if (tag === VALUES_TAG) walkAnyValue(r, r.readLengthEnd(end), depth + 1, null);
    else r.skipOther(tag, end, VALUES_FIELDS, 'ArrayValue');
  }
}

/** Walks a KeyValueList that sits inside an AnyValue at `depth`. */
function walkKeyValueList(r: WireReader, end: number, depth: number): void {
  while (r.pos < end) {
    const tag = r.readTag(end);
    if (tag === VALUES_TAG) walkKeyValue(r, r.readLengthEnd(end), depth + 1);
    else r.skipOther(tag, end, VALUES_FIELDS, 'KeyValueList');
  }
}

const KEY_VALUE_FIELDS = fieldMask(1, 2);

/** Walks a KeyValue whose value sits at AnyValue level `depth` (1 for attributes). */
export function walkKeyValue(r: WireReader, end: number, depth: number): void {
  while (r.pos < end) {
    const tag = r.readTag(end);
    if (tag === ((1 << 3) | 2)) r.skipBytes(end);
    else if (tag === ((2 << 3) | 2)) walkAnyValue(r, r.readLengthEnd(end), depth, null);
    else r.skipOther(tag, end, KEY_VALUE_FIELDS, 'KeyValue');
  }
}
