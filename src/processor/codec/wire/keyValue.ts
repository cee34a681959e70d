/**
 * Reading attributes (KeyValue messages) fast. Most attributes SDKs write
 * have one layout: key, then value, one-byte lengths, a scalar value. That
 * layout is recognised by looking at a few bytes; everything else goes
 * through the generic field-by-field walk, which accepts any valid layout.
 */
import { AnyValueProbe, walkAnyValue, walkKeyValue } from './anyValueWalk';
import { fieldMask, type WireReader } from './wireReader';

const KEY_VALUE_FIELDS = fieldMask(1, 2);
const KEY_TAG = (1 << 3) | 2;
const VALUE_TAG = (2 << 3) | 2;
const STRING_TAG = (1 << 3) | 2;
const BOOL_TAG = (2 << 3) | 0;
const INT_TAG = (3 << 3) | 0;
const DOUBLE_TAG = (4 << 3) | 1;
const ARRAY_TAG = (5 << 3) | 2;
const ARRAY_VALUES_TAG = (1 << 3) | 2;

/** Where a KeyValue's key is and what its value holds. One per scan, reused for every attribute. */
export class KeyValueProbe extends AnyValueProbe {
  /** Key bytes [keyStart, keyEnd); keyStart is -1 when the KeyValue has no key. */
  keyStart = -1;
  keyEnd = -1;

  /** Walks the KeyValue payload from r.pos to `end`, validating it. */
  read(r: WireReader, end: number): void {
    this.member = 0;
    this.keyStart = -1;
    if (!readCanonical(r, end, this)) this.readAnyLayout(r, end);
  }

  /** Any valid layout: fields in any order or repeated (the last key wins, values merge), unknown fields skipped. */
  private readAnyLayout(r: WireReader, end: number): void {
    while (r.pos < end) {
      const tag = r.readTag(end);
      if (tag === KEY_TAG) {
        this.keyEnd = r.readLengthEnd(end);
        this.keyStart = r.pos;
        r.pos = this.keyEnd;
      } else if (tag === VALUE_TAG) {
        walkAnyValue(r, r.readLengthEnd(end), 1, this);
      } else {
        r.skipOther(tag, end, KEY_VALUE_FIELDS, 'KeyValue');
      }
    }
  }
}

/** Walks an attribute nobody looks at (events, links, scope), validating it. */
export function walkAttribute(r: WireReader, end: number): void {
  if (!readCanonical(r, end, null)) walkKeyValue(r, end, 1);
}

/**
 * Recognises the common layout: key then value with one-byte lengths, the
 * value a short string, a double, a bool/int varint, or a short array of
 * those. Returns false, having read nothing, for anything else (long strings
 * and arrays, nested lists, other layouts).
 */
function readCanonical(r: WireReader, end: number, probe: KeyValueProbe | null): boolean {
  const buf = r.buf;
  const start = r.pos;
  if (end - start < 6 || buf[start] !== KEY_TAG) return false;
  const keyLen = buf[start + 1];
  const keyEnd = start + 2 + keyLen;
  if (keyLen >= 0x80 || end - keyEnd < 4 || buf[keyEnd] !== VALUE_TAG) return false;
  const valueLen = buf[keyEnd + 1];
  if (valueLen >= 0x80 || keyEnd + 2 + valueLen !== end) return false;
  const value = keyEnd + 2; // the AnyValue body, [value, end), at least 2 bytes
  const valueTag = buf[value];
  switch (valueTag) {
    case STRING_TAG:
      if (buf[value + 1] >= 0x80 || value + 2 + buf[value + 1] !== end) return false;
      if (probe !== null) {
        probe.stringStart = value + 2;
        probe.stringEnd = end;
      }
      break;
    case DOUBLE_TAG:
      if (value + 9 !== end) return false;
      break;
    case BOOL_TAG:
    case INT_TAG:
      if (!isVarintFilling(buf, value + 1, end)) return false;
      break;
    case ARRAY_TAG:
      if (buf[value + 1] >= 0x80 || value + 2 + buf[value + 1] !== end || !isScalarArray(buf, value + 2, end)) return false;
      break;
    default:
      return false;
  }
  if (probe !== null) {
    probe.member = valueTag >>> 3;
    probe.keyStart = start + 2;
    probe.keyEnd = keyEnd;
  }
  r.pos = end;
  return true;
}

/**
 * True when buf[from, end) is an ArrayValue body of `values` entries only,
 * each a one-byte-length AnyValue holding exactly one canonical scalar (what
 * SDKs write for string[], number[] and boolean[] attributes). Elements are
 * AnyValues at depth 2, far inside MAX_ANY_VALUE_DEPTH. The element checks
 * repeat readCanonical's on purpose: one shared function for both measured
 * 6 to 11 % slower scans (readCanonical is inlined into walkSpan, within V8's
 * inlining budget, and the extra call level spent it).
 */
function isScalarArray(buf: Buffer, from: number, end: number): boolean {
  let at = from;
  while (at < end) {
    if (end - at < 2 || buf[at] !== ARRAY_VALUES_TAG) return false;
    const length = buf[at + 1];
    const body = at + 2;
    const next = body + length;
    if (length >= 0x80 || length < 2 || next > end) return false;
    switch (buf[body]) {
      case STRING_TAG:
        if (buf[body + 1] >= 0x80 || body + 2 + buf[body + 1] !== next) return false;
        break;
      case DOUBLE_TAG:
        if (body + 9 !== next) return false;
        break;
      case BOOL_TAG:
      case INT_TAG:
        if (!isVarintFilling(buf, body + 1, next)) return false;
        break;
      default:
        return false;
    }
    at = next;
  }
  return true;
}

/** True when buf[from, end) is exactly one valid varint (1 to 10 bytes, not overflowing 64 bits). */
function isVarintFilling(buf: Buffer, from: number, end: number): boolean {
  const size = end - from;
  if (size < 1 || size > 10) return false;
  for (let i = from; i < end - 1; i++) if (buf[i] < 0x80) return false;
  const last = buf[end - 1];
  return last < 0x80 && (size < 10 || last <= 1);
}
