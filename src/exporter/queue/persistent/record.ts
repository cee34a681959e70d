import { crc32 } from './crc32';

/**
 * One record of a segment file: a 28-byte header, then the payload (the
 * encoded ExportTraceServiceRequest, as queued). All integers big-endian.
 *
 *   0  u32  magic 0x4F545131 ("OTQ1"), for resynchronising after a damaged header
 *   4  u32  payload length, bytes
 *   8  u64  sequence number (increasing across segments; < 2^53)
 *  16  u32  span count, as upstream counted it (bits 0-30); bit 31 set: the payload
 *           is a held batch, not enriched yet (it is enriched when read back)
 *  20  u32  CRC-32 of the payload
 *  24  u32  CRC-32 of header bytes 0-23
 *
 * The header has its own checksum so that a damaged payload can be skipped
 * using a length that is known to be right; a damaged header is skipped by
 * searching for the next magic followed by a valid header.
 */
export const RECORD_HEADER_BYTES = 28;
const MAGIC = 0x4f545131;
const MAGIC_BYTES = Buffer.from([0x4f, 0x54, 0x51, 0x31]);
const TWO_32 = 2 ** 32;
const UNFINISHED_BIT = 0x80000000;
const SPAN_COUNT_MASK = 0x7fffffff;

/** A record read back from a segment. */
export interface LogRecord {
  readonly seq: number;
  readonly spanCount: number;
  /** The payload was appended held (not enriched yet). */
  readonly unfinished: boolean;
  /** A view into the segment's buffer. */
  readonly payload: Buffer;
}

/** The header of a record; the payload follows it unchanged. */
export function encodeRecordHeader(seq: number, spanCount: number, payload: Buffer, unfinished = false): Buffer {
  const h = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  h.writeUInt32BE(MAGIC, 0);
  h.writeUInt32BE(payload.length, 4);
  h.writeUInt32BE(Math.floor(seq / TWO_32), 8);
  h.writeUInt32BE(seq % TWO_32, 12);
  h.writeUInt32BE(((spanCount & SPAN_COUNT_MASK) | (unfinished ? UNFINISHED_BIT : 0)) >>> 0, 16);
  h.writeUInt32BE(crc32(payload), 20);
  h.writeUInt32BE(crc32(h, 0, 24), 24);
  return h;
}

/** What reading a segment found. */
export interface SegmentScan {
  /** Intact records, in file order. */
  readonly records: LogRecord[];
  /** Records (or damaged stretches) skipped because a checksum did not match. */
  readonly corrupted: number;
  /**
   * Where the intact log ends: the start of a torn last write (a partial header
   * or payload, or bytes after which no valid record follows), else the file length.
   */
  readonly validEnd: number;
}

/** Reads every record of a segment, skipping damaged ones and stopping at a torn tail. */
export function scanSegment(buf: Buffer): SegmentScan {
  const records: LogRecord[] = [];
  let corrupted = 0;
  let pos = 0;
  while (pos < buf.length) {
    if (headerValidAt(buf, pos)) {
      const end = pos + RECORD_HEADER_BYTES + buf.readUInt32BE(pos + 4);
      if (end > buf.length) break; // torn: the payload was not fully written
      const payload = buf.subarray(pos + RECORD_HEADER_BYTES, end);
      if (crc32(payload) === buf.readUInt32BE(pos + 20)) {
        const seq = buf.readUInt32BE(pos + 8) * TWO_32 + buf.readUInt32BE(pos + 12);
        const counted = buf.readUInt32BE(pos + 16);
        records.push({ seq, spanCount: counted & SPAN_COUNT_MASK, unfinished: counted >= UNFINISHED_BIT, payload });
      } else {
        corrupted++;
      }
      pos = end;
      continue;
    }
    const next = nextHeaderAfter(buf, pos);
    if (next < 0) break; // nothing valid follows: a torn tail
    corrupted++;
    pos = next;
  }
  return { records, corrupted, validEnd: pos };
}

function headerValidAt(buf: Buffer, pos: number): boolean {
  return (
    pos + RECORD_HEADER_BYTES <= buf.length &&
    buf.readUInt32BE(pos) === MAGIC &&
    crc32(buf, pos, pos + 24) === buf.readUInt32BE(pos + 24)
  );
}

function nextHeaderAfter(buf: Buffer, pos: number): number {
  for (let at = buf.indexOf(MAGIC_BYTES, pos + 1); at >= 0; at = buf.indexOf(MAGIC_BYTES, at + 1)) {
    if (headerValidAt(buf, at)) return at;
  }
  return -1;
}
