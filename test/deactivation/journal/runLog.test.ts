import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FileRunJournal } from '../../../src/deactivation/journal/fileRunJournal';
import { JOURNAL_FORMAT, type JournalRecord } from '../../../src/deactivation/journal/records';
import { runSummaries } from '../../../src/deactivation/journal/runLog';
import { tempDataDir } from '../support/dataDir';

const USER = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const base = (runId: string, at: string) => ({ v: JOURNAL_FORMAT as typeof JOURNAL_FORMAT, runId, at });

describe('the runs a journal records, for audits', () => {
  let data: { dir: string; remove: () => Promise<void> };
  beforeEach(async () => {
    data = await tempDataDir();
  });
  afterEach(() => data.remove());

  it('FileRunJournal.users lists the users with a journal file, nothing else in the directory; none before the first run', async () => {
    const journal = new FileRunJournal({ dataDir: data.dir });
    assert.deepEqual(await journal.users(), []);
    for (const id of [USER, OTHER]) {
      const session = await journal.open(id);
      await session.append({ ...base('r', '2026-01-01T00:00:00.000Z'), type: 'run_started', action: 'deactivate', dryRun: true, actor: 'a' });
      await session.close();
    }
    await writeFile(join(data.dir, 'deactivation', 'notes.jsonl'), '');
    await writeFile(join(data.dir, 'deactivation', `${USER.toUpperCase()}.jsonl`), '');
    assert.deepEqual([...(await journal.users())].sort(), [USER, OTHER]);
  });

  it('summarises each run: who, what, when started and finished, the outcome; a run without a finish is interrupted', () => {
    const records: JournalRecord[] = [
      { ...base('r1', '2026-01-01T10:00:00.000Z'), type: 'run_started', action: 'deactivate', dryRun: false, actor: 'admin:ab12', reason: 'Voluntary' },
      { ...base('r2', '2026-01-01T10:05:00.000Z'), type: 'run_started', action: 'deactivate', dryRun: false, actor: 'cli:ops', resumes: 'r1' },
      { ...base('r2', '2026-01-01T10:06:00.000Z'), type: 'run_finished', status: 'completed', userVersion: 4 },
    ];
    assert.deepEqual(runSummaries(USER, records), [
      { runId: 'r1', userId: USER, action: 'deactivate', dryRun: false, actor: 'admin:ab12', reason: 'Voluntary', startedAt: '2026-01-01T10:00:00.000Z', outcome: 'interrupted' },
      { runId: 'r2', userId: USER, action: 'deactivate', dryRun: false, actor: 'cli:ops', resumes: 'r1', startedAt: '2026-01-01T10:05:00.000Z', finishedAt: '2026-01-01T10:06:00.000Z', outcome: 'completed' },
    ]);
  });
});
