/**
 * The persistent queue on a full disk: a real ENOSPC from a small tmpfs
 * mounted over the queue directory (needs the right to mount; skipped, saying
 * so, where the machine does not give it).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskQueueStore } from '../../../../src/exporter/queue/persistent/index';
import type { StoredBatch } from '../../../../src/exporter/queue/store';
import { silentLogger } from '../../../../src/telemetry/logger';
import { cleanupAfterEach, segmentFiles } from './support';

const { defer, freshDir } = cleanupAfterEach();
const TMPFS_BYTES = 64 * 1024;

/** Mounts a TMPFS_BYTES tmpfs on `dir` (unmounted after the test); the reason it cannot, else undefined. */
function mountSmallDisk(dir: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_BYTES},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    return `cannot mount a tmpfs here (${String((err as { stderr?: Buffer }).stderr ?? err).trim()}): ENOSPC not reproducible`;
  }
  defer(async () => execFileSync('umount', [dir]));
  return undefined;
}

async function bytesOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const name of await segmentFiles(dir)) total += (await stat(path.join(dir, name))).size;
  return total;
}

describe('DiskQueueStore on a full disk', () => {
  it('reports the bytes really on disk after ENOSPC, never a negative figure, and writes again once space is freed', async (t) => {
    const dir = await freshDir();
    const cannot = mountSmallDisk(dir);
    if (cannot) return t.skip(cannot);
    const store = new DiskQueueStore({ dir, logger: silentLogger() });
    await store.open();
    defer(() => store.close());

    const stored: StoredBatch[] = [];
    let failure: NodeJS.ErrnoException | undefined;
    for (let i = 0; i < 100 && !failure; i++) {
      await store.append({ bytes: Buffer.alloc(6_000, i), spanCount: 1 }).then((e) => stored.push(e), (err) => (failure = err));
    }
    assert.equal(failure?.code, 'ENOSPC', `the disk filled up (${stored.length} batches stored first)`);
    assert.ok(stored.length > 0);
    assert.equal(store.stats().writeFailures, 1);
    assert.equal(store.stats().diskBytes, await bytesOnDisk(dir), 'counts the part of the failed write that reached the disk');

    for (const entry of stored) store.ack(entry); // all delivered: the sealed segment goes
    for (let i = 0; i < 100 && (await segmentFiles(dir)).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(await segmentFiles(dir), []);
    assert.equal(store.stats().diskBytes, 0, 'nothing on disk, and not below zero');

    await store.append({ bytes: Buffer.alloc(6_000), spanCount: 1 });
    assert.equal(store.stats().diskBytes, await bytesOnDisk(dir));
  });
});
