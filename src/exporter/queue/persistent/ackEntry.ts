import { crc32 } from './crc32';

/**
 * An ack file lists the records of its segment that left the queue (sent, or
 * dropped for good): fixed 12-byte entries, a u64 sequence number then the
 * CRC-32 of those 8 bytes. Fixed size keeps entries aligned after a torn
 * write; a damaged entry is ignored, which can only cause a duplicate send.
 */
export const ACK_ENTRY_BYTES = 12;
const TWO_32 = 2 ** 32;

/** The entries for `seqs`, concatenated. */
export function encodeAcks(seqs: readonly number[]): Buffer {
  const buf = Buffer.allocUnsafe(seqs.length * ACK_ENTRY_BYTES);
  seqs.forEach((seq, i) => {
    const at = i * ACK_ENTRY_BYTES;
    buf.writeUInt32BE(Math.floor(seq / TWO_32), at);
    buf.writeUInt32BE(seq % TWO_32, at + 4);
    buf.writeUInt32BE(crc32(buf, at, at + 8), at + 8);
  });
  return buf;
}

/** What reading an ack file found. */
export interface AckScan {
  readonly acked: Set<number>;
  /** Entries whose checksum did not match (ignored). */
  readonly corrupted: number;
  /** Length of the whole entries; anything after is a torn write. */
  readonly validEnd: number;
}

export function scanAcks(buf: Buffer): AckScan {
  const acked = new Set<number>();
  let corrupted = 0;
  const validEnd = buf.length - (buf.length % ACK_ENTRY_BYTES);
  for (let at = 0; at < validEnd; at += ACK_ENTRY_BYTES) {
    if (crc32(buf, at, at + 8) !== buf.readUInt32BE(at + 8)) corrupted++;
    else acked.add(buf.readUInt32BE(at) * TWO_32 + buf.readUInt32BE(at + 4));
  }
  return { acked, corrupted, validEnd };
}
