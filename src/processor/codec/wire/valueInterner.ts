/** Values longer than this are decoded each time (user ids are 36 bytes). */
const MAX_INTERNED_BYTES = 64;
/** Distinct values remembered; the table starts over when full. */
const MAX_ENTRIES = 4096;

/**
 * Decodes the source attribute's values, returning the same string object
 * for the same bytes. A request repeats a few user ids over hundreds of
 * spans; decoding each costs a native call and a string (garbage), while
 * hashing and comparing 36 ASCII bytes in JS costs neither. Only short
 * ASCII values are interned (every byte below 0x80 decodes to the same
 * code unit in UTF-8 and Latin-1, so bytes and string compare directly);
 * anything else is decoded as UTF-8 as before. One per codec: the table
 * lives across requests.
 */
export class ValueInterner {
  private readonly table = new Map<number, string>();

  decode(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length > MAX_INTERNED_BYTES) return buf.toString('utf8', start, end);
    let hash = length | 0;
    let ascii = 0;
    for (let i = start; i < end; i++) {
      const b = buf[i];
      ascii |= b;
      hash = Math.imul(hash ^ b, 0x01000193);
    }
    if (ascii >= 0x80) return buf.toString('utf8', start, end);
    const known = this.table.get(hash);
    if (known !== undefined && sameAscii(known, buf, start, end)) return known;
    const value = buf.toString('latin1', start, end);
    if (this.table.size >= MAX_ENTRIES) this.table.clear();
    this.table.set(hash, value);
    return value;
  }
}

function sameAscii(value: string, buf: Buffer, start: number, end: number): boolean {
  if (value.length !== end - start) return false;
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) !== buf[start + i]) return false;
  }
  return true;
}
