import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFile, readFile, readdir, readlink, rename, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskQueueStore, RECORD_HEADER_BYTES, type DiskQueueStoreOptions } from '../../../../src/exporter/queue/persistent/index';
import type { StoredBatch } from '../../../../src/exporter/queue/store';
import { silentLogger } from '../../../../src/telemetry/logger';
import { recordingLogger } from '../fakes';
import { cleanupAfterEach, nameOf, namedBatch, recordsOnDisk, segmentFiles } from './support';

const { defer, freshDir } = cleanupAfterEach();

/** Opens a store on `dir`; closed after the test unless the test closes it. */
async function opened(dir: string, options: Partial<DiskQueueStoreOptions> = {}): Promise<{ store: DiskQueueStore; owed: StoredBatch[] }> {
  const store = new DiskQueueStore({ dir, logger: silentLogger(), ...options });
  const owed = [...(await store.open())];
  defer(() => store.close());
  return { store, owed };
}

const names = (entries: readonly StoredBatch[]) => entries.map((e) => nameOf(e.batch.bytes));

describe('DiskQueueStore writing', () => {
  it('has a record on disk by the time append resolves', async () => {
    const dir = await freshDir();
    const { store } = await opened(dir);

    await store.append(namedBatch('a', 3));

    const onDisk = await recordsOnDisk(dir);
    assert.deepEqual(onDisk.map((r) => [nameOf(r.payload), r.spanCount]), [['a', 3]]);
    assert.deepEqual([store.stats().persistedBatches, store.stats().persistedSpans, store.stats().syncs], [1, 3, 1]);
  });

  it('lets concurrent appends share one fsync (group commit), keeping their order', async () => {
    const dir = await freshDir();
    const { store } = await opened(dir);

    await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(namedBatch(String(i)))));

    const stats = store.stats();
    assert.equal(stats.persistedBatches, 50);
    assert.ok(stats.syncs <= 3, `50 concurrent appends took ${stats.syncs} fsyncs`);
    assert.deepEqual((await recordsOnDisk(dir)).map((r) => nameOf(r.payload)), Array.from({ length: 50 }, (_, i) => String(i)));
  });

  it('starts a new segment once one is full, and deletes a segment once all of it was acked', async () => {
    const dir = await freshDir();
    const { store } = await opened(dir, { segmentBytes: 100 });
    const entries: StoredBatch[] = [];
    for (let i = 0; i < 6; i++) entries.push(await store.append(namedBatch(`record-${i}`.padEnd(60, '.'))));
    const before = await segmentFiles(dir);
    assert.ok(before.length >= 3, `expected several segments, got ${before.length}`);

    entries.slice(0, 4).forEach((e) => store.ack(e));
    await store.close();

    const after = await segmentFiles(dir);
    assert.ok(after.length < before.length, 'fully delivered segments are gone');
    assert.deepEqual(names((await opened(dir)).owed), ['record-4', 'record-5'].map((n) => n.padEnd(60, '.')));
  });

  it('rejects appends once closed', async () => {
    const { store } = await opened(await freshDir());
    await store.close();
    await assert.rejects(store.append(namedBatch('late')), /not open/);
  });
});

describe('DiskQueueStore after a restart', () => {
  it('owes exactly the batches that were not acked, oldest first, with their span counts', async () => {
    const dir = await freshDir();
    const first = await opened(dir);
    const entries = [];
    for (const name of ['a', 'b', 'c', 'd']) entries.push(await first.store.append(namedBatch(name, name.charCodeAt(0))));
    first.store.ack(entries[1]);
    first.store.ack(entries[3]);
    await first.store.close();

    const second = await opened(dir);
    assert.deepEqual(second.owed.map((e) => [nameOf(e.batch.bytes), e.batch.spanCount]), [['a', 97], ['c', 99]]);
    assert.deepEqual([second.store.stats().replayedBatches, second.store.stats().replayedSpans], [2, 196]);

    // New records follow the old ones, and acks of replayed records count.
    await second.store.append(namedBatch('e'));
    second.owed.forEach((e) => second.store.ack(e));
    await second.store.close();
    assert.deepEqual(names((await opened(dir)).owed), ['e']);
  });

  it('recovers from a torn last write and a damaged record: skips and counts the damage, keeps the rest, appends cleanly after', async () => {
    const dir = await freshDir();
    const { logger, records: logs } = recordingLogger();
    const first = await opened(dir);
    for (const name of ['a', 'b', 'c']) await first.store.append(namedBatch(name));
    await first.store.close();
    const [segment] = await segmentFiles(dir);
    const file = path.join(dir, segment);
    const bytes = await readFile(file);
    bytes[RECORD_HEADER_BYTES + 'batch:a'.length + RECORD_HEADER_BYTES] ^= 0x20; // b's payload
    await writeFile(file, bytes);
    await appendFile(file, Buffer.concat([bytes.subarray(0, RECORD_HEADER_BYTES), Buffer.from('batch:')])); // half a record

    const second = await opened(dir, { logger });
    assert.deepEqual(names(second.owed), ['a', 'c']);
    assert.deepEqual([second.store.stats().corruptedRecords, second.store.stats().truncatedBytes], [1, RECORD_HEADER_BYTES + 6]);
    assert.equal(logs.filter((r) => /checksum did not match/.test(String(r.msg))).length, 1, 'logged once');
    await second.store.append(namedBatch('d'));
    await second.store.close();

    const third = await opened(dir);
    assert.deepEqual(names(third.owed), ['a', 'c', 'd']);
    assert.equal(third.store.stats().truncatedBytes, 0, 'the torn tail was cut off for good');
    assert.equal(third.store.stats().corruptedRecords, 1, 'the damaged record is reported while its segment remains');
  });

  it('ignores a torn ack write: the record is owed again (a duplicate, never a loss)', async () => {
    const dir = await freshDir();
    const first = await opened(dir);
    const a = await first.store.append(namedBatch('a'));
    await first.store.append(namedBatch('b'));
    first.store.ack(a);
    await first.store.close();
    const ackFile = (await readdir(dir)).find((n) => n.endsWith('.ack'))!;
    await truncate(path.join(dir, ackFile), 7);

    assert.deepEqual(names((await opened(dir)).owed), ['a', 'b']);
  });

  it('deletes segments that were fully delivered and ack files without a segment', async () => {
    const dir = await freshDir();
    const first = await opened(dir);
    const a = await first.store.append(namedBatch('a'));
    first.store.ack(a);
    await first.store.close(); // the active segment is sealed on close, so it goes
    await writeFile(path.join(dir, 'seg-0000000000000099.ack'), Buffer.alloc(12));

    const second = await opened(dir);
    assert.deepEqual(second.owed, []);
    assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('seg-')), []);
  });
});

describe('DiskQueueStore directory lock', () => {
  const STALE_MS = 1_000;
  const lockFile = (dir: string) => path.join(dir, 'queue.lock');
  /** A lock as another instance writes it: JSON naming the instance, with a heartbeat. */
  const foreignLock = (fields: Record<string, unknown>) =>
    JSON.stringify({ instance: 'other-instance', pid: 1, hostname: 'elsewhere', startedAt: new Date().toISOString(), heartbeatAt: new Date().toISOString(), beat: 0, ...fields });

  it('refuses a second instance while the first holds the directory (its heartbeat moves), naming the holder', async () => {
    const dir = await freshDir();
    const { store } = await opened(dir, { lockStaleMs: STALE_MS });
    const holder = JSON.parse(await readFile(lockFile(dir), 'utf8'));
    const started = Date.now();
    await assert.rejects(new DiskQueueStore({ dir, logger: silentLogger(), lockStaleMs: STALE_MS }).open(), new RegExp(`in use by instance ${holder.instance} \\(pid ${process.pid}`));
    assert.ok(Date.now() - started < STALE_MS, 'refused as soon as a heartbeat was seen');
    await store.append(namedBatch('still mine'));
  });

  it('takes over at once the lock of a process of this pid namespace that is gone (kill -9), and says so', async () => {
    const dir = await freshDir();
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    const { bootId, pidNs } = await readProcIdentity();
    await writeFile(lockFile(dir), foreignLock({ pid: dead, bootId, pidNs }));
    const { logger, records } = recordingLogger();
    const started = Date.now();
    const { store } = await opened(dir, { logger, lockStaleMs: 60_000 });
    assert.ok(Date.now() - started < 5_000, 'no need to wait for the heartbeat to go stale');
    await store.append(namedBatch('a'));
    const warning = records.find((r) => r.msg === 'persistent queue: took over a stale lock (its holder is gone or its heartbeat stopped)');
    assert.equal((warning?.previous as { pid?: number })?.pid, dead, 'the log names the previous holder');
  });

  it('takes over a lock from another pid namespace or host only once its heartbeat has stood still for the staleness period', async () => {
    const dir = await freshDir();
    await writeFile(lockFile(dir), foreignLock({ bootId: 'another-boot', pidNs: 'pid:[1]' }));
    const started = Date.now();
    const { store } = await opened(dir, { lockStaleMs: STALE_MS });
    assert.ok(Date.now() - started >= STALE_MS, `took it after ${Date.now() - started} ms, staleness ${STALE_MS} ms`);
    await store.append(namedBatch('a'));
    assert.notEqual(JSON.parse(await readFile(lockFile(dir), 'utf8')).instance, 'other-instance');
  });

  it('takes over a lock it cannot read (a bare pid from an older version) after the staleness period', async () => {
    const dir = await freshDir();
    await writeFile(lockFile(dir), '1');
    const { store } = await opened(dir, { lockStaleMs: STALE_MS });
    await store.append(namedBatch('a'));
  });

  it('stops writing once another instance took the directory over while this one was stalled', async () => {
    const dir = await freshDir();
    const { logger, records } = recordingLogger();
    const { store } = await opened(dir, { logger, lockStaleMs: 200 });
    await store.append(namedBatch('before'));
    await rename(lockFile(dir), path.join(dir, 'gone.lock')); // what a takeover does to the old holder's file
    await writeFile(lockFile(dir), foreignLock({}));
    await waitFor(() => records.some((r) => r.level === 50 && /another instance took the lock over/.test(String(r.msg))));
    await assert.rejects(store.append(namedBatch('after')), /another instance took the directory over/);
    await store.close();
    assert.equal(JSON.parse(await readFile(lockFile(dir), 'utf8')).instance, 'other-instance', 'close leaves the new holder\'s lock alone');
  });

  it('releases the lock on close', async () => {
    const dir = await freshDir();
    const { store } = await opened(dir);
    await store.close();
    assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('queue.lock')), []);
  });
});

async function readProcIdentity(): Promise<{ bootId?: string; pidNs?: string }> {
  const bootId = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((s) => s.trim(), () => undefined);
  const pidNs = await readlink('/proc/self/ns/pid').catch(() => undefined);
  return { bootId, pidNs };
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
