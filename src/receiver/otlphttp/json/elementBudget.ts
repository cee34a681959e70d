/** Default element budget of one OTLP/JSON request; see {@link countJsonElements}. */
export const DEFAULT_MAX_JSON_ELEMENTS = 500_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const COMMA = 0x2c;

/**
 * Counts the elements of a JSON text without parsing it: each object, each
 * array, and each further member or item (a comma) outside strings. Parsing
 * costs memory and time per element, not per byte (16 MiB of `{},` is 5.6
 * million objects), so a request is measured this way before it is parsed.
 * Returns the count, or `Infinity` as soon as it passes `max`. Linear in the
 * body, one byte at a time, no allocation.
 */
export function countJsonElements(body: Uint8Array, max: number): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY || c === COMMA) {
      if (++count > max) return Infinity;
    }
  }
  return count;
}
