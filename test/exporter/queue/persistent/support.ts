/** Helpers for the persistent queue tests: temporary directories and reading segments back. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'node:test';
import { type LogRecord, scanSegment } from '../../../../src/exporter/queue/persistent/index';
import type { TraceBatch } from '../../../../src/pipeline/consumer';

/** A fresh directory under the OS temp dir; `cleanup` removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'enricher-queue-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * What a test file cleans up after each test, last registered first:
 * `defer` registers a cleanup (closing a store or a queue), `freshDir` makes a
 * temporary directory that is removed. Call once per file, at the top level.
 */
export function cleanupAfterEach(): { defer(cleanup: () => Promise<unknown>): void; freshDir(): Promise<string> } {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    defer: (cleanup) => void cleanups.push(cleanup),
    async freshDir() {
      const { dir, cleanup } = await tempDir();
      cleanups.push(cleanup);
      return dir;
    },
  };
}

/** Segment file names in log order. */
export async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.log')).sort();
}

/** Every intact record of every segment, in log order (what a restart would read, before acks). */
export async function recordsOnDisk(dir: string): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (const name of await segmentFiles(dir)) out.push(...scanSegment(await readFile(path.join(dir, name))).records);
  return out;
}

/** A batch whose bytes name it, so tests can tell batches apart after a round trip. */
export function namedBatch(name: string, spans = 1): TraceBatch {
  return { bytes: Buffer.from(`batch:${name}`), spanCount: spans };
}

export const nameOf = (bytes: Buffer): string => bytes.toString().replace(/^batch:/, '');
