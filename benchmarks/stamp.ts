/**
 * Sequence stamps for end-to-end latency: the load generator writes a marker
 * and a sequence number into the trace id of the request's first span (every
 * hop copies span bytes unchanged), the sink reads them back on arrival. Both
 * read the same clock (process.hrtime is CLOCK_MONOTONIC, shared by every
 * process of the machine), so arrival - send is how long the spans took to
 * get through, whatever the hop answered its client meanwhile.
 */
const MARKER = Buffer.from('bnchseq!', 'latin1'); // first 8 of the 16 trace id bytes

/** Now on the machine-wide monotonic clock, ms (sub-µs resolution). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Offset of the first span's trace_id bytes (ExportTraceServiceRequest
 * .resource_spans[0].scope_spans[0].spans[0].trace_id, 16 bytes), or -1.
 */
export function firstTraceIdOffset(request: Uint8Array): number {
  let at = childBody(request, 0, request.length, 1);
  if (at) at = childBody(request, at[0], at[1], 2);
  if (at) at = childBody(request, at[0], at[1], 2);
  if (!at) return -1;
  const id = childBody(request, at[0], at[1], 1);
  return id && id[1] - id[0] === 16 ? id[0] : -1;
}

/** Writes the marker and `seq` at `offset` (from firstTraceIdOffset). */
export function writeStamp(request: Buffer, offset: number, seq: number): void {
  MARKER.copy(request, offset);
  request.writeDoubleBE(seq, offset + 8);
}

/** The sequence number stamped in `request`, or undefined when it carries none. */
export function readStamp(request: Buffer): number | undefined {
  const offset = firstTraceIdOffset(request);
  if (offset < 0 || MARKER.compare(request, offset, offset + 8) !== 0) return undefined;
  return request.readDoubleBE(offset + 8);
}

/** [start, end) of the first length-delimited field `wanted` in buf[start, end), skipping others; undefined if absent. */
function childBody(buf: Uint8Array, start: number, end: number, wanted: number): [number, number] | undefined {
  let pos = start;
  while (pos < end) {
    const [tag, afterTag] = varint(buf, pos);
    pos = afterTag;
    const wireType = tag & 7;
    if (wireType === 0) pos = varint(buf, pos)[1];
    else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else if (wireType === 2) {
      const [length, body] = varint(buf, pos);
      if (tag >>> 3 === wanted) return [body, body + length];
      pos = body + length;
    } else return undefined;
  }
  return undefined;
}

function varint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  for (let shift = 1; pos < buf.length; shift *= 128) {
    const b = buf[pos++]!;
    value += (b & 0x7f) * shift;
    if (b < 0x80) break;
  }
  return [value, pos];
}
