import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunHistory } from '../../../src/deactivation/journal/history';
import { JOURNAL_FORMAT, type JournalRecord, type RunAction } from '../../../src/deactivation/journal/records';
import type { UserSnapshot } from '../../../src/deactivation/snapshot';
import type { RunStatus, StepName, StepOutcome } from '../../../src/deactivation/types';

const USER = '00000000-0000-4000-8000-000000000001';
const at = '2025-01-01T00:00:00.000Z';

function snapshot(skills: string[], version = 1): UserSnapshot {
  return {
    takenAt: at,
    user: { id: USER, state: 'active', version },
    queues: [],
    skills: skills.map((id) => ({ id, proficiency: 3 })),
    languages: [],
    grants: [],
    presence: {},
    externalIds: [],
  };
}

/** A small language for journals: runs with their snapshot, steps and finish. */
class Journal {
  readonly records: JournalRecord[] = [];
  run(runId: string, action: RunAction, o: { dryRun?: boolean; resumes?: string; snapshot?: UserSnapshot } = {}): this {
    this.records.push({ v: JOURNAL_FORMAT, type: 'run_started', runId, at, action, dryRun: o.dryRun ?? false, actor: 't', ...(o.resumes ? { resumes: o.resumes } : {}) });
    if (o.snapshot) this.records.push({ v: JOURNAL_FORMAT, type: 'snapshot', runId, at, snapshot: o.snapshot });
    return this;
  }
  step(runId: string, step: StepName, outcome: StepOutcome): this {
    this.records.push({ v: JOURNAL_FORMAT, type: 'step', runId, at, report: { step, outcome } });
    return this;
  }
  finish(runId: string, status: RunStatus, userVersion?: number): this {
    this.records.push({ v: JOURNAL_FORMAT, type: 'run_finished', runId, at, status, ...(userVersion !== undefined ? { userVersion } : {}) });
    return this;
  }
  history(): RunHistory {
    return new RunHistory(this.records);
  }
}

describe('RunHistory', () => {
  describe('resumable', () => {
    it('is the latest run of the action when it was interrupted or failed, with its snapshot and completed steps', () => {
      const s = snapshot(['x']);
      const interrupted = new Journal().run('a', 'deactivate', { snapshot: s }).step('a', 'routing_status', 'done').step('a', 'presence', 'already').history();
      const chain = interrupted.resumable('deactivate');
      assert.equal(chain?.runId, 'a');
      assert.equal(chain?.snapshot, s);
      assert.deepEqual([...chain!.completed.keys()], ['routing_status', 'presence']);

      const failed = new Journal().run('a', 'deactivate', { snapshot: s }).step('a', 'routing_status', 'done').step('a', 'presence', 'failed').finish('a', 'failed').history();
      assert.deepEqual([...failed.resumable('deactivate')!.completed.keys()], ['routing_status'], 'the failed step runs again');
    });

    it('is nothing after a finished run, for the other action, or when the run never got a snapshot', () => {
      assert.equal(new Journal().run('a', 'deactivate', { snapshot: snapshot([]) }).finish('a', 'completed').history().resumable('deactivate'), undefined);
      assert.equal(new Journal().run('a', 'deactivate', { snapshot: snapshot([]) }).history().resumable('reactivate'), undefined);
      assert.equal(new Journal().run('a', 'deactivate').finish('a', 'failed').history().resumable('deactivate'), undefined);
      const abandoned = new Journal().run('a', 'deactivate', { snapshot: snapshot([]) }).run('b', 'reactivate', { snapshot: snapshot([]) }).finish('b', 'completed');
      assert.equal(abandoned.history().resumable('deactivate'), undefined, 'a run of the other action in between abandons it');
    });

    it('looks past dry runs, and follows a chain of resumed runs back to the first snapshot', () => {
      const s = snapshot(['x']);
      const history = new Journal()
        .run('a', 'deactivate', { snapshot: s }).step('a', 'routing_status', 'done')
        .run('dry', 'deactivate', { dryRun: true }).finish('dry', 'planned')
        .run('b', 'deactivate', { resumes: 'a' }).step('b', 'presence', 'done').step('b', 'queues', 'failed').finish('b', 'failed')
        .history();
      const chain = history.resumable('deactivate')!;
      assert.deepEqual([chain.runId, chain.firstRunId, chain.snapshot], ['b', 'a', s]);
      assert.deepEqual([...chain.completed.keys()], ['routing_status', 'presence']);
    });

    it('skips records whose run start was lost', () => {
      const history = new Journal().step('ghost', 'state', 'done').finish('ghost', 'completed').history();
      assert.deepEqual(history.runs, []);
    });
  });

  describe('restoreSource', () => {
    it('is the latest deactivation that changed something; an unchanged re-run does not replace it', () => {
      const first = snapshot(['x', 'y']);
      const history = new Journal()
        .run('a', 'deactivate', { snapshot: first }).step('a', 'skills', 'done').finish('a', 'completed', 2)
        .run('b', 'deactivate', { snapshot: snapshot([], 2) }).step('b', 'skills', 'already').finish('b', 'unchanged', 2)
        .history();
      assert.deepEqual(history.restoreSource(), { runId: 'a', snapshot: first });
    });

    it('merges deactivations since the last reactivation, the oldest sighting winning', () => {
      const history = new Journal()
        .run('old', 'deactivate', { snapshot: snapshot(['gone-long-ago']) }).step('old', 'skills', 'done').finish('old', 'completed')
        .run('r', 'reactivate', { snapshot: snapshot([]) }).step('r', 'skills', 'done').finish('r', 'completed')
        .run('a', 'deactivate', { snapshot: snapshot(['x', 'y']) }).step('a', 'skills', 'done').finish('a', 'partial')
        .run('b', 'deactivate', { snapshot: snapshot(['y', 'z'], 5) }).step('b', 'skills', 'done').finish('b', 'completed')
        .history();
      const source = history.restoreSource()!;
      assert.equal(source.runId, 'b');
      assert.deepEqual(source.snapshot.skills.map((s) => s.id), ['x', 'y', 'z']);
      assert.equal(source.snapshot.user.version, 1, "the oldest snapshot's user");
    });

    it('after a reactivation with no deactivation since, is what that reactivation restored (a repeat changes nothing)', () => {
      const s = snapshot(['x']);
      const history = new Journal()
        .run('a', 'deactivate', { snapshot: s }).step('a', 'skills', 'done').finish('a', 'completed')
        .run('r', 'reactivate', { snapshot: snapshot([]) }).step('r', 'skills', 'done').finish('r', 'completed')
        .history();
      assert.deepEqual(history.restoreSource(), { runId: 'a', snapshot: s });
    });

    it('counts an interrupted deactivation, and is nothing when no deactivation changed anything', () => {
      const s = snapshot(['x']);
      assert.deepEqual(new Journal().run('a', 'deactivate', { snapshot: s }).step('a', 'routing_status', 'done').history().restoreSource(), { runId: 'a', snapshot: s });
      assert.equal(new Journal().run('a', 'deactivate', { snapshot: s }).step('a', 'routing_status', 'already').finish('a', 'unchanged').history().restoreSource(), undefined);
      assert.equal(new Journal().run('d', 'deactivate', { dryRun: true }).finish('d', 'planned').history().restoreSource(), undefined);
    });

    it('for a resumed reactivation, looks only at runs before it', () => {
      const s = snapshot(['x']);
      const history = new Journal()
        .run('a', 'deactivate', { snapshot: s }).step('a', 'skills', 'done').finish('a', 'completed')
        .run('r', 'reactivate', { snapshot: snapshot([]) }).step('r', 'queues', 'done')
        .history();
      assert.deepEqual(history.restoreSource(history.resumable('reactivate')!.firstRunId), { runId: 'a', snapshot: s });
    });
  });

  describe('sessionsRevokedAtVersion', () => {
    it('is the version a finished deactivation left the user at, with its sessions revoked', () => {
      const done = new Journal().run('a', 'deactivate', { snapshot: snapshot([]) }).step('a', 'sessions', 'done').finish('a', 'completed', 7);
      assert.equal(done.history().sessionsRevokedAtVersion(), 7);
      done.run('x', 'deactivate').finish('x', 'failed'); // failed before changing anything: tells nothing
      assert.equal(done.history().sessionsRevokedAtVersion(), 7);
      done.run('r', 'reactivate', { snapshot: snapshot([]) }).step('r', 'state', 'done').finish('r', 'completed', 8);
      assert.equal(done.history().sessionsRevokedAtVersion(), undefined, 'a reactivated user may have logged in');
    });
  });
});
