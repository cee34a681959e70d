import { PipelineError } from '../../../errors';
import { WireType, varintSize } from './varint';

/**
 * A cursor over protobuf wire bytes that validates as it reads. Every read is
 * bounded by `end`, the end of the message being read (not of the buffer), so
 * a length that overruns its parent is caught where it happens. Failures throw
 * PipelineError('invalid_argument') naming the byte offset.
 *
 * One reader per scan: it is cheap, and it keeps scans re-entrant.
 */
export class WireReader {
  /** Offset of the next unread byte. */
  pos = 0;

  constructor(readonly buf: Buffer) {}

  /** Throws the codec's one kind of error. */
  fail(what: string, at: number = this.pos): never {
    throw new PipelineError('invalid_argument', `malformed OTLP trace request: ${what} at byte ${at}`);
  }

  /**
   * Reads a varint of at most 10 bytes. Values above 2^53 lose precision,
   * which is fine for the callers: they only compare them with small bounds.
   */
  readVarint(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) this.fail('truncated varint');
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let value = b & 0x7f;
    let scale = 0x80;
    for (let i = 1; i < 10; i++) {
      if (pos >= end) this.fail('truncated varint');
      b = buf[pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        // The 10th byte may only hold bit 63.
        if (i === 9 && b > 1) this.fail('varint overflows 64 bits', pos - 1);
        this.pos = pos;
        return value;
      }
      scale *= 0x80;
    }
    return this.fail('varint longer than 10 bytes', this.pos);
  }

  /** Reads a field tag; rejects field number 0 and numbers above 2^29-1. */
  readTag(end: number): number {
    const pos = this.pos;
    if (pos < end) {
      const b = this.buf[pos];
      if (b < 0x80 && b >= 8) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.readLongTag(end);
  }

  /** Reads the length of a length-delimited field; returns the end offset of its payload. */
  readLengthEnd(end: number): number {
    const pos = this.pos;
    if (pos < end) {
      const len = this.buf[pos];
      if (len < 0x80 && len < end - pos) {
        this.pos = pos + 1;
        return pos + 1 + len;
      }
    }
    return this.readLongLengthEnd(end);
  }

  /** Skips one varint value. */
  skipVarint(end: number): void {
    const pos = this.pos;
    if (pos < end && this.buf[pos] < 0x80) this.pos = pos + 1;
    else this.readVarint(end);
  }

  /** Skips `n` bytes of a fixed-width value. */
  skipFixed(n: number, end: number): void {
    const pos = this.pos;
    if (n > end - pos) this.truncatedFixed(n);
    this.pos = pos + n;
  }

  private truncatedFixed(n: number): never {
    return this.fail(`truncated fixed${n * 8} value`);
  }

  /** Skips a length-delimited payload (string, bytes, or a message not walked). */
  skipBytes(end: number): void {
    this.pos = this.readLengthEnd(end);
  }

  // Cold paths, kept out of the small methods above so that those inline.

  private readLongTag(end: number): number {
    const start = this.pos;
    const tag = this.readVarint(end);
    if (tag < 8 || tag > 0xffffffff) this.fail(`invalid field number ${Math.floor(tag / 8)}`, start);
    return tag;
  }

  private readLongLengthEnd(end: number): number {
    const len = this.readVarint(end);
    if (len > end - this.pos) this.fail(`length ${len} runs past the end of its message`);
    return this.pos + len;
  }

  /**
   * Skips a field the walker does not walk. `knownFields` has bit n set for
   * each field number n < 32 the message defines: such a field arriving here
   * has the wrong wire type. Unknown fields are skipped by wire type; groups
   * and wire types 6 and 7 are malformed.
   */
  skipOther(tag: number, end: number, knownFields: number, message: string): void {
    const field = tag >>> 3;
    const wireType = tag & 7;
    const at = this.pos - varintSize(tag); // where the tag started (when canonically encoded)
    if (field < 32 && (knownFields >>> field) & 1) {
      this.fail(`${message} field ${field} has wrong wire type ${wireType}`, at);
    }
    switch (wireType) {
      case WireType.Varint:
        return this.skipVarint(end);
      case WireType.Fixed64:
        return this.skipFixed(8, end);
      case WireType.LengthDelimited:
        return this.skipBytes(end);
      case WireType.Fixed32:
        return this.skipFixed(4, end);
      case WireType.StartGroup:
      case WireType.EndGroup:
        return this.fail(`${message} field ${field} uses a group (wire type ${wireType}), which OTLP never does`, at);
      default:
        return this.fail(`${message} field ${field} has invalid wire type ${wireType}`, at);
    }
  }
}

/** Bit mask of field numbers (all below 32) for `WireReader.skipOther`. */
export function fieldMask(...fields: number[]): number {
  let mask = 0;
  for (const f of fields) mask |= 1 << f;
  return mask;
}
