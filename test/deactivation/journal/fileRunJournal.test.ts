import assert from 'node:assert/strict';
import { appendFile, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FileRunJournal } from '../../../src/deactivation/journal/fileRunJournal';
import { JOURNAL_FORMAT, type JournalRecord } from '../../../src/deactivation/journal/records';
import { DeactivationError } from '../../../src/deactivation/types';
import { deadPid, startChild } from '../support/childProcess';
import { tempDataDir } from '../support/dataDir';

const USER = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

function started(runId: string): JournalRecord {
  return { v: JOURNAL_FORMAT, type: 'run_started', runId, at: '2025-01-01T00:00:00.000Z', action: 'deactivate', dryRun: false, actor: 'test' };
}

function finished(runId: string): JournalRecord {
  return { v: JOURNAL_FORMAT, type: 'run_finished', runId, at: '2025-01-01T00:00:01.000Z', status: 'completed', userVersion: 2 };
}

async function refusedWith(promise: Promise<unknown>, code: string): Promise<DeactivationError> {
  const err = await promise.then(() => assert.fail(`expected ${code}`), (e: unknown) => e);
  assert.ok(err instanceof DeactivationError && err.code === code, `expected ${code}, got ${String(err)}`);
  return err;
}

describe('FileRunJournal', () => {
  let data: { dir: string; remove: () => Promise<void> };
  beforeEach(async () => {
    data = await tempDataDir();
  });
  afterEach(() => data.remove());

  it('appends each record as one JSON line in <dataDir>/deactivation/<userId>.jsonl, on disk when append resolves', async () => {
    const journal = new FileRunJournal({ dataDir: data.dir });
    const path = join(data.dir, 'deactivation', `${USER}.jsonl`);
    assert.equal(journal.pathOf(USER.toUpperCase()), path);
    const session = await journal.open(USER);
    assert.deepEqual(session.records, []);
    await session.append(started('a'));
    assert.equal((await readFile(path, 'utf8')).split('\n').length, 2, 'written before append resolved');
    await session.append(finished('a'));
    await session.close();
    await session.close();

    assert.deepEqual(await journal.read(USER), [started('a'), finished('a')]);
    assert.equal((await stat(path)).mode & 0o777, 0o600, 'the journal holds personal data');
    const reopened = await journal.open(USER);
    assert.deepEqual(reopened.records, [started('a'), finished('a')]);
    await reopened.close();
  });

  it('skips a last line torn by a crash, and starts the next record on a fresh line', async () => {
    const journal = new FileRunJournal({ dataDir: data.dir });
    const first = await journal.open(USER);
    await first.append(started('a'));
    await first.close();
    await appendFile(journal.pathOf(USER), JSON.stringify(finished('a')).slice(0, 25));

    const second = await journal.open(USER);
    assert.deepEqual(second.records, [started('a')]);
    await second.append(started('b'));
    await second.close();
    assert.deepEqual(await journal.read(USER), [started('a'), started('b')]);
  });

  it('gives a user to one run at a time: a second open is run_in_progress, naming the holder, until the first closes', async () => {
    const journal = new FileRunJournal({ dataDir: data.dir });
    const holder = await journal.open(USER);
    const err = await refusedWith(new FileRunJournal({ dataDir: data.dir }).open(USER), 'run_in_progress');
    assert.match(err.message, new RegExp(`pid ${process.pid}`));
    assert.equal(err.retryable, true);
    const other = await journal.open(OTHER);
    await other.close();
    await holder.close();
    await (await journal.open(USER)).close();
  });

  it('holds the lock across processes, and breaks it once the holding process has died', async () => {
    const child = startChild({ mode: 'hold-lock', dataDir: data.dir, userId: USER });
    assert.equal(await child.firstLine, 'locked');
    const journal = new FileRunJournal({ dataDir: data.dir });
    const err = await refusedWith(journal.open(USER), 'run_in_progress');
    assert.match(err.message, new RegExp(`pid ${child.child.pid}`));

    child.child.kill('SIGKILL');
    assert.equal((await child.exited).signal, 'SIGKILL');
    const session = await journal.open(USER);
    await session.close();
    assert.deepEqual((await readdir(join(data.dir, 'deactivation'))).filter((f) => !f.endsWith('.jsonl')), [], 'no lock or temporary file left');
  });

  it('breaks a lock left by a dead process of this host, but never one from another host', async () => {
    const crashed = new FileRunJournal({ dataDir: data.dir, pid: await deadPid() });
    await crashed.open(USER); // never closed: the process "died"
    const session = await new FileRunJournal({ dataDir: data.dir }).open(USER);
    await session.close();

    await new FileRunJournal({ dataDir: data.dir, pid: await deadPid(), hostname: 'elsewhere.example' }).open(OTHER);
    await refusedWith(new FileRunJournal({ dataDir: data.dir }).open(OTHER), 'run_in_progress');
  });

  it('treats an unreadable lock file as stale (locks are written in full before they appear)', async () => {
    const journal = new FileRunJournal({ dataDir: data.dir });
    await (await journal.open(USER)).close();
    await writeFile(journal.lockPathOf(USER), 'garbage');
    await (await journal.open(USER)).close();
  });

  it('refuses ids that are not Genesys user ids, so nothing outside its directory is touched', async () => {
    const journal = new FileRunJournal({ dataDir: data.dir });
    for (const bad of ['../escape', `${USER}/../../x`, '']) {
      await refusedWith(journal.open(bad), 'invalid_user_id');
      await refusedWith(journal.read(bad), 'invalid_user_id');
    }
  });

  it('reports a data directory it cannot use as journal_error, naming no secret', async () => {
    const file = join(data.dir, 'not-a-directory');
    await writeFile(file, '');
    const err = await refusedWith(new FileRunJournal({ dataDir: file }).open(USER), 'journal_error');
    assert.match(err.message, /ENOTDIR|EEXIST/);
  });

  it('rejects bad options at construction', () => {
    assert.throws(() => new FileRunJournal({ dataDir: '' }), /FileRunJournal: option "dataDir"/);
    assert.throws(() => new FileRunJournal({ dataDir: data.dir, pid: 0 }), /FileRunJournal: option "pid"/);
  });
});
