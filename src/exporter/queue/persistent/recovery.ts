import { readdir } from 'node:fs/promises';
import type { PrivateFiles } from '../../../util/privateFiles';
import { scanAcks } from './ackEntry';
import { ackBaseOf, ackFileName, inDir, segmentBaseOf, unlinkIfExists } from './files';
import { PersistedBatch } from './persistedBatch';
import { scanSegment } from './record';
import { Segment, type SegmentHooks } from './segment';

/** What was found in the queue directory at start. */
export interface Recovery {
  /** Segments with records still to deliver (sealed: new records go to a new segment). */
  readonly segments: Segment[];
  /** Those records, oldest first. */
  readonly entries: PersistedBatch[];
  /** First sequence number for new records. */
  readonly nextSeq: number;
  /** Records skipped because a checksum did not match. */
  readonly corruptedRecords: number;
  /** Ack entries ignored because their checksum did not match (their records are sent again). */
  readonly corruptedAcks: number;
  /** Bytes of torn last writes cut off the end of segment and ack files. */
  readonly truncatedBytes: number;
  /** Segments deleted because everything in them had been delivered. */
  readonly deliveredSegments: number;
}

/**
 * Reads every segment and its ack file, oldest first: the records not acked
 * are the ones to send again. A torn tail is truncated (so nothing is ever
 * appended after garbage); damaged records are skipped and counted; fully
 * delivered segments and orphaned ack files are deleted.
 */
export async function recover(dir: string, hooks: SegmentHooks, files: PrivateFiles): Promise<Recovery> {
  const names = await readdir(dir);
  const bases = names.map(segmentBaseOf).filter((b): b is number => b !== undefined).sort((a, b) => a - b);
  const live = new Set(bases);
  for (const name of names) {
    const base = ackBaseOf(name);
    if (base !== undefined && !live.has(base)) await unlinkIfExists(inDir(dir, name));
  }
  const result: Tally = { segments: [], entries: [], nextSeq: 1, corruptedRecords: 0, corruptedAcks: 0, truncatedBytes: 0, deliveredSegments: 0 };
  for (const base of bases) {
    const segment = await recoverSegment(dir, base, hooks, files, result);
    if (segment) result.segments.push(segment);
  }
  return result;
}

/** A Recovery being filled in. */
type Tally = { -readonly [K in keyof Recovery]: Recovery[K] };

async function recoverSegment(dir: string, base: number, hooks: SegmentHooks, files: PrivateFiles, tally: Tally): Promise<Segment | undefined> {
  const segment = new Segment(dir, base, { size: 0, live: 0, sealed: true }, hooks, files);
  tally.nextSeq = Math.max(tally.nextSeq, base + 1); // even an empty segment's name is taken
  const buf = await files.readFile(segment.logPath);
  const scan = scanSegment(buf);
  tally.corruptedRecords += scan.corrupted;
  await trim(segment.logPath, files, buf.length, scan.validEnd, tally);
  const acked = await readAcks(dir, base, files, tally);
  for (const record of scan.records) {
    tally.nextSeq = Math.max(tally.nextSeq, record.seq + 1);
    if (acked.has(record.seq)) continue;
    // Copy out of the segment buffer, so that buffer can be collected while the batch waits.
    const batch = { bytes: Buffer.from(record.payload), spanCount: record.spanCount };
    tally.entries.push(new PersistedBatch(batch, record.seq, segment, record.unfinished));
    segment.live++;
  }
  segment.size = scan.validEnd;
  if (segment.live > 0) return segment;
  tally.deliveredSegments++;
  await unlinkIfExists(segment.logPath);
  await unlinkIfExists(segment.ackPath);
  return undefined;
}

async function readAcks(dir: string, base: number, files: PrivateFiles, tally: Tally): Promise<Set<number>> {
  const file = inDir(dir, ackFileName(base));
  let buf: Buffer;
  try {
    buf = await files.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw err;
  }
  const scan = scanAcks(buf);
  tally.corruptedAcks += scan.corrupted;
  await trim(file, files, buf.length, scan.validEnd, tally); // acks are appended: keep entries aligned
  return scan.acked;
}

/** Cuts a torn tail off a file (through a handle, never a symbolic link): nothing is ever appended after garbage. */
async function trim(file: string, files: PrivateFiles, length: number, validEnd: number, tally: Tally): Promise<void> {
  if (validEnd >= length) return;
  const handle = await files.open(file, 'readwrite');
  try {
    await handle.truncate(validEnd);
  } finally {
    await handle.close();
  }
  tally.truncatedBytes += length - validEnd;
}
