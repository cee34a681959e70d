/**
 * Counts the spans in an encoded ExportTraceServiceRequest by walking tags and
 * lengths only (resource_spans=1 -> scope_spans=2 -> spans=2), without decoding
 * a span. Independent of the service's codec on purpose: the sink's delivery
 * check must not share a bug with the code it checks. Throws on malformed input.
 */
export function countSpans(buf: Uint8Array): number {
  let spans = 0;
  forEachField(buf, 0, buf.length, 1, (rsStart, rsEnd) =>
    forEachField(buf, rsStart, rsEnd, 2, (ssStart, ssEnd) => forEachField(buf, ssStart, ssEnd, 2, () => void spans++)),
  );
  return spans;
}

/** Calls `visit` with the bounds of every length-delimited field `wanted` in buf[start, end); skips the rest. */
function forEachField(buf: Uint8Array, start: number, end: number, wanted: number, visit: (start: number, end: number) => void): void {
  let pos = start;
  while (pos < end) {
    const [tag, afterTag] = varint(buf, pos, end);
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    pos = afterTag;
    if (wireType === 0) pos = varint(buf, pos, end)[1];
    else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else if (wireType === 2) {
      const [length, body] = varint(buf, pos, end);
      pos = body + length;
      if (pos > end) throw new Error(`field ${field} overruns its message at byte ${body}`);
      if (field === wanted) visit(body, pos);
    } else throw new Error(`unsupported wire type ${wireType} at byte ${afterTag}`);
  }
  if (pos !== end) throw new Error(`message overrun at byte ${end}`);
}

/** [value, next position]; values above 2^53 lose precision, which only lengths and tags use here. */
function varint(buf: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  for (let shift = 1; pos < end; shift *= 128) {
    const b = buf[pos++]!;
    value += (b & 0x7f) * shift;
    if (b < 0x80) return [value, pos];
  }
  throw new Error(`truncated varint at byte ${pos}`);
}
