/**
 * A shared in-memory stand-in for the soft-deactivation use case, for the
 * adapters' tests (admin routes, CLI). It keeps the contract's observable
 * behaviour: ids are checked again, unknown users are user_not_found, a second
 * run changes nothing, dry runs only plan, reactivate needs a snapshot, and a
 * run holding a user makes any other run for that user run_in_progress.
 * Every call is recorded so tests can say what reached the use case.
 */
import { DeactivationError, type DeactivationUseCase, type RunOptions, type RunReport, type StepName, type StepReport } from '../../src/deactivation/types';
import type { Resolution, UserState } from '../../src/directory/types';
import { normalizeUserId } from '../../src/directory/userId';
import type { BulkItem, BulkOptions, DeactivationRuntime, RunBulk } from '../../src/cli/deactivationFactory';

export interface FakeUser {
  id: string;
  name: string;
  state: UserState;
}

export interface FakeCall {
  action: 'deactivate' | 'reactivate' | 'identity';
  userId: string;
  options?: RunOptions;
}

/** What a scripted user answers instead of the normal behaviour. */
export type Scripted = DeactivationError | 'failed_report' | 'partial_report' | { identity: Resolution };

const STEPS: readonly StepName[] = ['snapshot', 'routing_status', 'presence', 'queues', 'skills', 'languages', 'role_grants', 'state', 'sessions', 'verify', 'cache'];

/** Deterministic well-formed user ids: fakeUserId(1) = 00000000-0000-4000-8000-000000000001. */
export function fakeUserId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export class FakeDeactivation implements DeactivationUseCase {
  readonly calls: FakeCall[] = [];
  private readonly users = new Map<string, FakeUser>();
  private readonly snapshots = new Set<string>();
  private readonly running = new Set<string>();
  private readonly holds = new Map<string, { reached: () => void; release: Promise<void> }>();
  private readonly scripted = new Map<string, Scripted>();
  private runCount = 0;

  constructor(users: readonly FakeUser[] = []) {
    for (const u of users) this.users.set(u.id, { ...u });
  }

  /** `count` active users named "Agent 1".. with ids fakeUserId(1)... */
  static withActiveUsers(count: number): FakeDeactivation {
    return new FakeDeactivation(Array.from({ length: count }, (_, i) => ({ id: fakeUserId(i + 1), name: `Agent ${i + 1}`, state: 'active' as const })));
  }

  user(id: string): FakeUser | undefined {
    return this.users.get(id);
  }

  /** The next runs for `userId` answer this instead. */
  script(userId: string, answer: Scripted): void {
    this.scripted.set(userId, answer);
  }

  /**
   * Makes the next run for `userId` stop inside the use case (holding the
   * user's lock) until `release()`; `reached` resolves once it is there.
   */
  hold(userId: string): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const releaseP = new Promise<void>((r) => (release = r));
    this.holds.set(userId, { reached, release: releaseP });
    return { reached: reachedP, release };
  }

  async identity(userId: string): Promise<Resolution> {
    this.calls.push({ action: 'identity', userId });
    const s = this.scripted.get(userId);
    if (s && typeof s === 'object' && 'identity' in s) return s.identity;
    const u = this.users.get(userId);
    return u ? { status: 'found', user: { id: u.id, name: u.name, state: u.state } } : { status: 'not_found' };
  }

  deactivate(userId: string, options: RunOptions): Promise<RunReport> {
    return this.run('deactivate', userId, options);
  }

  reactivate(userId: string, options: RunOptions): Promise<RunReport> {
    return this.run('reactivate', userId, options);
  }

  private async run(action: 'deactivate' | 'reactivate', userId: string, options: RunOptions): Promise<RunReport> {
    this.calls.push({ action, userId, options });
    const id = normalizeUserId(userId);
    if (!id) throw new DeactivationError('invalid_user_id', `not a Genesys user id`);
    if (this.running.has(id)) throw new DeactivationError('run_in_progress', `another run for ${id} is in progress`);
    this.running.add(id);
    try {
      const hold = this.holds.get(id);
      if (hold) {
        this.holds.delete(id);
        hold.reached();
        await hold.release;
      }
      return this.perform(action, id, options);
    } finally {
      this.running.delete(id);
    }
  }

  private perform(action: 'deactivate' | 'reactivate', id: string, options: RunOptions): RunReport {
    const s = this.scripted.get(id);
    if (s instanceof DeactivationError) throw s;
    const u = this.users.get(id);
    if (!u) throw new DeactivationError('user_not_found', `no user ${id}`);
    if (action === 'reactivate' && !this.snapshots.has(id)) throw new DeactivationError('no_snapshot', `no recorded deactivation of ${id}`);
    const target: UserState = action === 'deactivate' ? 'inactive' : 'active';
    const before = u.state;
    const base = { runId: `run-${++this.runCount}`, action, userId: id, dryRun: options.dryRun === true, reason: options.reason, actor: options.actor, resumed: false, startedAt: '2024-01-01T00:00:00.000Z', finishedAt: '2024-01-01T00:00:01.000Z' };
    if (s === 'failed_report') return { ...base, status: 'failed', user: { name: u.name, stateBefore: before }, steps: [step('snapshot', 'done'), { step: 'routing_status', outcome: 'failed', error: { code: 'genesys_unavailable', message: 'Genesys answered 503' } }] };
    if (options.dryRun) return { ...base, status: 'planned', user: { name: u.name, stateBefore: before }, steps: STEPS.map((n) => step(n, before === target ? 'already' : 'planned')) };
    if (before === target) return { ...base, status: 'unchanged', user: { name: u.name, stateBefore: before, stateAfter: before }, steps: STEPS.map((n) => step(n, 'already')) };
    u.state = target;
    if (action === 'deactivate') this.snapshots.add(id);
    const steps = STEPS.map((n) => step(n, 'done'));
    if (s === 'partial_report') steps[9] = { step: 'verify', outcome: 'done', left: [{ kind: 'queue', id: 'q-1', name: 'Sales', why: 'membership through group Sales Team' }] };
    return { ...base, status: s === 'partial_report' ? 'partial' : 'completed', user: { name: u.name, stateBefore: before, stateAfter: target }, steps };
  }
}

function step(name: StepName, outcome: StepReport['outcome']): StepReport {
  return { step: name, outcome };
}

/**
 * A sequential RunBulk over a use case, with a deterministic estimate
 * (`msPerUser` per user left), for CLI tests.
 */
export function fakeRunBulk(useCase: DeactivationUseCase, msPerUser = 1000): RunBulk {
  return async (action, userIds, options: BulkOptions) => {
    const items: BulkItem[] = [];
    let failed = 0;
    const total = userIds.length;
    options.onProgress?.({ done: 0, total, failed, etaMs: total * msPerUser });
    for (const userId of userIds) {
      if (options.signal?.aborted) break; // like the real runner: stop starting users
      let item: BulkItem;
      try {
        const report = await useCase[action](userId, options);
        item = { userId, report };
      } catch (err) {
        const e = err instanceof DeactivationError ? err : new DeactivationError('journal_error', String(err));
        item = { userId, error: { code: e.code, message: e.message } };
      }
      if (item.error || item.report?.status === 'failed') failed++;
      items.push(item);
      options.onProgress?.({ done: items.length, total, failed, etaMs: (total - items.length) * msPerUser, last: item });
    }
    return items;
  };
}

/** A DeactivationRuntime over the fake, recording whether it was closed. */
export function fakeRuntime(fake: FakeDeactivation): DeactivationRuntime & { closed: boolean } {
  const runtime = {
    useCase: fake,
    runBulk: fakeRunBulk(fake),
    closed: false,
    async close() {
      runtime.closed = true;
    },
  };
  return runtime;
}
