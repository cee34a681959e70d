/**
 * Files of the service's own directories, through the whole service: a
 * symbolic link planted in the queue or data directory is refused, never
 * followed (before, the service truncated, overwrote or appended to its
 * target), and what the service creates is 0600 in 0700 directories, with a
 * warning for looser permissions found.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiskQueueStore } from '../../src/exporter/queue/persistent/index';
import { silentLogger } from '../../src/telemetry/logger';
import { recordingLogger } from '../exporter/queue/fakes';
import { type Harness, sendSpans, startHarness } from '../helpers/enricherHarness';

const FIRST_SEGMENT = 'seg-0000000000000001.log';
const FIRST_ACKS = 'seg-0000000000000001.ack';
const ADMIN_TOKEN = 'file-safety-admin-token-0123456789abcdef';
const PRECIOUS = 'precious content the service must never touch\n';

describe('files of the queue and data directories, through the whole service', () => {
  let root: string;
  let victim: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'enricher-files-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  /** A fresh queue directory and a victim file outside it, restored to PRECIOUS. */
  async function fresh(name: string): Promise<string> {
    const dir = join(root, name);
    await mkdir(dir, { mode: 0o700 });
    victim = join(root, `${name}.victim`);
    await writeFile(victim, PRECIOUS);
    return dir;
  }

  async function refusedToStart(queueDir: string, planted: string): Promise<void> {
    await assert.rejects(startHarness({ env: { ENRICHER_EXPORT_QUEUE_DIR: queueDir } }), (err: Error) => {
      assert.match(err.message, /symbolic link/);
      assert.ok(err.message.includes(join(queueDir, planted)), `names the link: ${err.message}`);
      return true;
    });
    assert.equal(await readFile(victim, 'utf8'), PRECIOUS, 'the link target is untouched');
  }

  it('refuses to start on a segment that is a symbolic link (it used to truncate the target)', async () => {
    const dir = await fresh('segment');
    await symlink(victim, join(dir, FIRST_SEGMENT));
    await refusedToStart(dir, FIRST_SEGMENT);
  });

  it('refuses to start on an ack file that is a symbolic link (it used to truncate the target)', async () => {
    const dir = await fresh('acks');
    const store = new DiskQueueStore({ dir, logger: silentLogger() });
    await store.open();
    await store.append({ bytes: Buffer.from('left by the last run'), spanCount: 1 });
    await store.close();
    await symlink(victim, join(dir, FIRST_ACKS));
    await refusedToStart(dir, FIRST_ACKS);
  });

  it('refuses to start on a queue.lock that is a symbolic link (it used to overwrite the target with its pid)', async () => {
    const dir = await fresh('lock');
    await symlink(victim, join(dir, 'queue.lock'));
    await refusedToStart(dir, 'queue.lock');
  });

  it('refuses to start on a segment that is a FIFO, rather than waiting for a writer', async () => {
    const dir = await fresh('fifo');
    execFileSync('mkfifo', [join(dir, FIRST_SEGMENT)]);
    await assert.rejects(startHarness({ env: { ENRICHER_EXPORT_QUEUE_DIR: dir } }), /not a regular file/);
  });

  it('while running, never appends acks through a link planted as the ack file: logs it and keeps delivering', async () => {
    const dir = await fresh('running');
    const { logger, records } = recordingLogger();
    const h = await startHarness({ env: { ENRICHER_EXPORT_QUEUE_DIR: dir }, logger });
    try {
      await symlink(victim, join(dir, FIRST_ACKS)); // after start: an orphan ack file is deleted at start
      await sendSpans(h.client(), [undefined, undefined]);
      await h.sink.waitForSpans(2);
      await waitFor(() => records.some((r) => /could not record delivered batches/.test(String(r.msg))));
      assert.equal(await readFile(victim, 'utf8'), PRECIOUS, 'the link target is untouched');
    } finally {
      await h.close();
    }
  });

  it('creates the queue directory 0700 and its files 0600', async () => {
    const dir = join(root, 'created', 'queue');
    const h = await startHarness({ env: { ENRICHER_EXPORT_QUEUE_DIR: dir } });
    try {
      await h.sink.stop(); // keep the segment: nothing is delivered
      await sendSpans(h.client(), [undefined]);
      await waitFor(async () => (await stat(join(dir, FIRST_SEGMENT)).catch(() => undefined)) !== undefined);
      assert.equal((await stat(dir)).mode & 0o777, 0o700);
      assert.equal((await stat(join(dir, FIRST_SEGMENT))).mode & 0o777, 0o600, 'segments hold names and e-mails');
      assert.equal((await stat(join(dir, 'queue.lock'))).mode & 0o777, 0o600);
    } finally {
      await h.sink.restart();
      await h.close();
    }
  });

  it('warns once, naming the path, about a queue directory and files other users can read', async () => {
    const dir = await fresh('loose');
    const store = new DiskQueueStore({ dir, logger: silentLogger(), segmentBytes: 10 });
    await store.open();
    for (const name of ['a', 'b']) await store.append({ bytes: Buffer.from(name), spanCount: 1 });
    await store.close();
    await chmod(dir, 0o755);
    await chmod(join(dir, FIRST_SEGMENT), 0o644);
    await chmod(join(dir, 'seg-0000000000000002.log'), 0o644);
    const { logger, records } = recordingLogger();
    const h = await startHarness({ env: { ENRICHER_EXPORT_QUEUE_DIR: dir }, logger });
    await h.close();
    const warnings = records.filter((r) => r.level === 40 && /accessible to other users/.test(String(r.msg)));
    assert.deepEqual(warnings.map((w) => w.path), [dir, join(dir, FIRST_SEGMENT)], 'the directory, then the first loose file; not every file');
    assert.equal((await stat(dir)).mode & 0o777, 0o755, 'warned about, left as the operator set it');
  });
});

describe('the deactivation journal, through the admin API of the whole service', () => {
  let h: Harness;
  let dataDir: string;
  let victim: string;
  const post = (path: string) =>
    fetch(`http://127.0.0.1:${h.service.adminPort}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}' });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'enricher-data-'));
    victim = join(dataDir, 'victim');
    await writeFile(victim, PRECIOUS);
    h = await startHarness({ env: { ENRICHER_ADMIN_TOKEN: ADMIN_TOKEN, ENRICHER_DATA_DIR: dataDir } });
  });
  after(async () => {
    await h?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a journal file that is a symbolic link (it used to append the run to the target) and changes nothing in Genesys', async () => {
    const id = h.sim.org.active[0];
    await mkdir(join(dataDir, 'deactivation'), { recursive: true, mode: 0o700 });
    await symlink(victim, join(dataDir, 'deactivation', `${id}.jsonl`));
    const res = await post(`/v1/users/${id}/deactivate`);
    assert.equal(res.status, 500);
    assert.equal(((await res.json()) as { code: string }).code, 'journal_error');
    assert.equal(await readFile(victim, 'utf8'), PRECIOUS);
    assert.equal(h.sim.getUser(id)?.state, 'active', 'no step ran without a journal');
  });

  it('refuses a journal lock that is a symbolic link', async () => {
    const id = h.sim.org.active[1];
    await symlink(victim, join(dataDir, 'deactivation', `${id}.lock`));
    const res = await post(`/v1/users/${id}/deactivate`);
    assert.equal(res.status, 500);
    assert.equal(await readFile(victim, 'utf8'), PRECIOUS);
    assert.equal(h.sim.getUser(id)?.state, 'active');
  });

  it('writes a journal 0600 in a 0700 directory', async () => {
    const id = h.sim.org.active[2];
    const res = await post(`/v1/users/${id}/deactivate`);
    assert.equal(res.status, 200, await res.text());
    assert.equal((await stat(join(dataDir, 'deactivation'))).mode & 0o777, 0o700);
    assert.equal((await stat(join(dataDir, 'deactivation', `${id}.jsonl`))).mode & 0o777, 0o600);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
