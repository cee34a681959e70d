import { open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * File names of the queue directory. A segment is named after the sequence
 * number of its first record, zero-padded so that names sort in log order;
 * its ack file shares the name.
 */
const SEGMENT = /^seg-(\d{16})\.log$/;
const ACKS = /^seg-(\d{16})\.ack$/;

export const segmentFileName = (base: number): string => `seg-${String(base).padStart(16, '0')}.log`;
export const ackFileName = (base: number): string => `seg-${String(base).padStart(16, '0')}.ack`;

/** The base sequence number of a segment file name, else undefined. */
export function segmentBaseOf(name: string): number | undefined {
  const m = SEGMENT.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The base sequence number of an ack file name, else undefined. */
export function ackBaseOf(name: string): number | undefined {
  const m = ACKS.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Writes all of `buf` at `position` (null: at the end, for files opened to append). */
export async function writeFully(handle: FileHandle, buf: Buffer, position: number | null): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await handle.write(buf, done, buf.length - done, position === null ? null : position + done);
    if (bytesWritten <= 0) throw new Error('write made no progress');
    done += bytesWritten;
  }
}

/**
 * Makes a directory's entries (a created file) durable. Linux needs it after
 * creating a file for the file to survive a power cut; platforms that cannot
 * fsync a directory (Windows) do not need it, so failures are ignored there.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    if (process.platform !== 'win32') throw err;
  } finally {
    await handle?.close();
  }
}

/** Deletes a file; a missing file is fine. */
export async function unlinkIfExists(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export const inDir = (dir: string, name: string): string => path.join(dir, name);
