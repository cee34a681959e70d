import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeactivationError } from '../../src/deactivation/types';
import type { Config } from '../../src/config/types';
import { runDeactivate } from '../../src/cli/commands/deactivate';
import { runReactivate } from '../../src/cli/commands/reactivate';
import type { CommandIo } from '../../src/cli/commandIo';
import { FactoryUnavailableError, type DeactivationFactory, type FactoryOptions } from '../../src/cli/deactivationFactory';
import { FakeDeactivation, fakeRuntime, fakeUserId } from '../helpers/fakeDeactivation';

const CREDENTIALS = { GENESYS_CLIENT_ID: 'client', GENESYS_CLIENT_SECRET: 'secret' };

/** The command's world: buffers for its output, an environment, files, and the fake behind the factory. */
function world(options: { fake?: FakeDeactivation; env?: Record<string, string>; files?: Record<string, string>; tty?: boolean; signal?: AbortSignal } = {}) {
  const fake = options.fake ?? FakeDeactivation.withActiveUsers(30);
  const runtime = fakeRuntime(fake);
  const built: { config: Config; options: FactoryOptions }[] = [];
  const factory: DeactivationFactory = async (config, factoryOptions) => {
    built.push({ config, options: factoryOptions });
    return runtime;
  };
  let out = '';
  let err = '';
  const io: CommandIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: options.tty ?? false },
    env: options.env ?? CREDENTIALS,
    factory,
    readFile: async (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
    actor: 'cli:tester',
    signal: options.signal,
  };
  return { io, fake, runtime, built, out: () => out, err: () => err };
}

/** The summary table's rows as arrays of cells, cut at the columns of the rule under the header. */
function tableRows(out: string): string[][] {
  const lines = out.trimEnd().split('\n');
  const starts = [...lines[1].matchAll(/-+/g)].map((m) => m.index ?? 0);
  return lines.slice(2, -1).map((l) => starts.map((s, i) => l.slice(s, starts[i + 1]).trim()));
}

describe('genesys-otel-enricher deactivate', () => {
  it('deactivates the users given as arguments and prints a summary table', async () => {
    const w = world();
    const code = await runDeactivate([fakeUserId(1), fakeUserId(2)], w.io);
    assert.equal(code, 0);
    assert.match(w.out(), /^USER ID +NAME +STATUS +CHANGED +LEFT +ERROR\n-{36} +-+/);
    assert.deepEqual(tableRows(w.out()), [
      [fakeUserId(1), 'Agent 1', 'completed', '11', '0', ''],
      [fakeUserId(2), 'Agent 2', 'completed', '11', '0', ''],
    ]);
    assert.match(w.out(), /2 users: 2 completed\n$/);
    assert.equal(w.fake.user(fakeUserId(1))?.state, 'inactive');
    assert.equal(w.fake.calls[0].options?.actor, 'cli:tester');
    assert.ok(w.runtime.closed, 'the runtime is closed at the end');
    assert.equal(w.built[0].options.simulator, false);
  });

  it('reads ids from --file, skipping comments and blank lines, and runs a repeated id once', async () => {
    const file = `# leavers, March\n${fakeUserId(3)}\n\n  ${fakeUserId(4)}   # moved to Sales\n# ${fakeUserId(9)}\n${fakeUserId(3).toUpperCase()}\r\n`;
    const w = world({ files: { 'ids.txt': file } });
    const code = await runDeactivate(['--file', 'ids.txt', fakeUserId(5)], w.io);
    assert.equal(code, 0);
    assert.deepEqual(
      w.fake.calls.map((c) => c.userId),
      [fakeUserId(5), fakeUserId(3), fakeUserId(4)],
    );
    assert.match(w.err(), /note: 1 repeated user id\(s\) run once/);
  });

  it('reports ids that are not Genesys user ids as failed, runs the others, and exits 1', async () => {
    const w = world();
    const code = await runDeactivate(['not-a-user', fakeUserId(6)], w.io);
    assert.equal(code, 1);
    assert.deepEqual(w.fake.calls.map((c) => c.userId), [fakeUserId(6)], 'the bad id never reaches the use case');
    const rows = tableRows(w.out());
    assert.deepEqual(rows[0], ['not-a-user', '', 'failed', '', '', 'invalid_user_id: not a Genesys Cloud user id (a UUID)']);
    assert.equal(rows[1][2], 'completed');
    assert.match(w.out(), /2 users: 1 completed, 1 failed/);
  });

  it('passes --dry-run and --reason through: the plan comes back and nothing changes', async () => {
    const w = world();
    const code = await runDeactivate(['--dry-run', '--reason', 'voluntary', fakeUserId(7)], w.io);
    assert.equal(code, 0);
    const options = w.fake.calls[0].options;
    assert.equal(options?.dryRun, true);
    assert.equal(options?.reason, 'Voluntary', 'the reason in the spelling Genesys uses');
    assert.equal(w.fake.user(fakeUserId(7))?.state, 'active');
    assert.deepEqual(tableRows(w.out())[0], [fakeUserId(7), 'Agent 7', 'planned', '11', '0', '']);
  });

  it('exits 1 when any user failed or ended partial, naming the cause', async () => {
    const fake = FakeDeactivation.withActiveUsers(30);
    fake.script(fakeUserId(2), 'failed_report');
    fake.script(fakeUserId(3), 'partial_report');
    fake.script(fakeUserId(4), new DeactivationError('genesys_unavailable', 'Genesys answered 503'));
    const w = world({ fake });
    const code = await runDeactivate([1, 2, 3, 4, 999].map(fakeUserId), w.io);
    assert.equal(code, 1);
    assert.deepEqual(tableRows(w.out()), [
      [fakeUserId(1), 'Agent 1', 'completed', '11', '0', ''],
      [fakeUserId(2), 'Agent 2', 'failed', '1', '0', 'routing_status: genesys_unavailable: Genesys answered 503'],
      [fakeUserId(3), 'Agent 3', 'partial', '11', '1', ''],
      [fakeUserId(4), '', 'failed', '', '', 'genesys_unavailable: Genesys answered 503'],
      [fakeUserId(999), '', 'failed', '', '', `user_not_found: no user ${fakeUserId(999)}`],
    ]);
    assert.match(w.out(), /5 users: 1 completed, 1 partial, 3 failed/);
  });

  it('prints the reports as JSON with --json', async () => {
    const w = world();
    const code = await runDeactivate(['--json', fakeUserId(8), 'nope'], w.io);
    assert.equal(code, 1);
    const items = JSON.parse(w.out()) as { userId: string; report?: { status: string; steps: unknown[] }; error?: { code: string } }[];
    assert.equal(items.length, 2);
    assert.equal(items[0].userId, fakeUserId(8));
    assert.equal(items[0].report?.status, 'completed');
    assert.equal(items[0].report?.steps.length, 11);
    assert.deepEqual(items[1], { userId: 'nope', error: { code: 'invalid_user_id', message: 'not a Genesys Cloud user id (a UUID)' } });
  });

  it('shows plain progress lines with the time left when stderr is not a terminal', async () => {
    const w = world();
    await runDeactivate(Array.from({ length: 20 }, (_, i) => fakeUserId(i + 1)), w.io);
    const lines = w.err().trim().split('\n');
    assert.equal(lines.length, 10, 'one line per tenth of the way');
    assert.equal(lines[0], 'deactivate: 2/20 users done, about 18s left');
    assert.equal(lines[9], 'deactivate: 20/20 users done');
  });

  it('counts users in the progress as the summary does: malformed ids and failed runs both failed, out of every id given', async () => {
    const w = world();
    const code = await runDeactivate([fakeUserId(1), 'not-an-id', fakeUserId(2), 'also-bad', fakeUserId(3)], w.io);
    assert.equal(code, 1);
    const last = w.err().trim().split('\n').at(-1);
    const summary = w.out().trim().split('\n').find((l) => /^\d+ users: /.test(l));
    assert.equal(last, 'deactivate: 5/5 users done, 2 failed');
    assert.equal(summary, '5 users: 3 completed, 2 failed');
  });

  it('draws a progress bar with an ETA on a terminal, and none for a single user', async () => {
    const w = world({ tty: true });
    await runDeactivate([1, 2, 3, 4].map(fakeUserId), w.io);
    assert.match(w.err(), /\r\x1b\[2K\[#{15}\.{15}\] 2\/4  ETA 2s/);
    assert.match(w.err(), /\[#{30}\] 4\/4  done\n$/);
    const single = world({ tty: true });
    await runDeactivate([fakeUserId(1)], single.io);
    assert.equal(single.err(), '');
  });

  it('stops starting users once interrupted, and reports the rest as not run', async () => {
    const interrupt = new AbortController();
    const fake = FakeDeactivation.withActiveUsers(5);
    const w = world({ fake, signal: interrupt.signal });
    const original = fake.deactivate.bind(fake);
    fake.deactivate = async (id, o) => {
      interrupt.abort(); // Ctrl-C while the first user runs
      return original(id, o);
    };
    const code = await runDeactivate([1, 2, 3].map(fakeUserId), w.io);
    assert.equal(code, 1);
    assert.equal(fake.calls.length, 1);
    assert.match(w.out(), /not_run: interrupted before this user; run again to continue/);
  });
});

describe('genesys-otel-enricher deactivate: usage and configuration errors exit 2 before anything runs', () => {
  const cases: [string, string[], Parameters<typeof world>[0], RegExp][] = [
    ['no ids', [], {}, /no users: give user ids as arguments or with --file, or people with --external-id, --email or --file with --column/],
    ['an external id without a key', ['--external-id', 'hr-system'], {}, /--external-id must be AUTHORITY:KEY \(e\.g\. hr-system:E10001\), got "hr-system"/],
    ['a malformed email', ['--email', 'nobody'], {}, /--email must be an email address, got "nobody"/],
    ['--authority without --column', ['--authority', 'HR', fakeUserId(1)], {}, /--authority names the external ids of a CSV column: give --column too/],
    ['--column without --file', ['--column', 'employee_id'], {}, /--column reads CSV files: give them with --file/],
    ['a CSV without the column', ['--file', 'leavers.csv', '--column', 'employee_id'], { files: { 'leavers.csv': 'name,email\nAna,ana@x.example\n' } }, /--file leavers.csv: no column "employee_id" in the header row; columns: "name", "email"/],
    ['a CSV with an unclosed quote', ['--file', 'leavers.csv', '--column', 'id'], { files: { 'leavers.csv': 'id\n"abc\n' } }, /--file leavers.csv: line 2: a quoted field is not closed/],
    ['--move-division without an offboarding division', ['--move-division', fakeUserId(1)], {}, /--move-division needs the offboarding division: set ENRICHER_OFFBOARDING_DIVISION_ID/],
    ['an unknown option', ['--force', fakeUserId(1)], {}, /Unknown option '--force'/],
    ['a reason Genesys does not know', ['--reason', 'Fired', fakeUserId(1)], {}, /--reason must be one of Voluntary, Seasonal, Leave, Performance, Conduct, Unknown, got "Fired"/],
    ['an unreadable --file', ['--file', 'missing.txt'], {}, /cannot read --file missing.txt: ENOENT/],
    ['bad configuration', [fakeUserId(1)], { env: { ...CREDENTIALS, ENRICHER_GENESYS_MAX_RPM: 'fast' } }, /ENRICHER_GENESYS_MAX_RPM: must be a whole number/],
    ['a secret without its client id, without repeating it', [fakeUserId(1)], { env: { GENESYS_CLIENT_SECRET: 'topsecret-value' } }, /GENESYS_CLIENT_ID: is required when GENESYS_CLIENT_SECRET is set(?![^]*topsecret-value)/],
    ['an unreadable --config file', ['--config', '/nonexistent/enricher.yaml', fakeUserId(1)], {}, /cannot read the configuration file "\/nonexistent\/enricher.yaml" \(ENOENT\)/],
    ['no Genesys credentials and no --simulator', [fakeUserId(1)], { env: {} }, /GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET are not set.*--simulator/],
    ['--simulator with credentials', ['--simulator', fakeUserId(1)], {}, /--simulator cannot be combined with GENESYS_CLIENT_ID/],
  ];
  for (const [what, args, options, message] of cases) {
    it(`refuses ${what}`, async () => {
      const w = world(options);
      assert.equal(await runDeactivate(args, w.io), 2);
      assert.match(w.err(), message);
      assert.match(w.err(), /usage: genesys-otel-enricher deactivate/);
      assert.equal(w.built.length, 0, 'no use case was built');
      assert.equal(w.out(), '');
    });
  }

  it('builds the simulator-backed use case with --simulator when no credentials are set, and says so', async () => {
    const w = world({ env: {} });
    assert.equal(await runDeactivate(['--simulator', fakeUserId(1)], w.io), 0);
    assert.equal(w.built[0].options.simulator, true);
    assert.match(w.err(), /BUILT-IN GENESYS SIMULATOR/);
  });

  it('exits 2 with the reason when the use case cannot be built in this build', async () => {
    const w = world();
    const io: CommandIo = { ...w.io, factory: async () => Promise.reject(new FactoryUnavailableError('soft-deactivation is not available in this build')) };
    assert.equal(await runDeactivate([fakeUserId(1)], io), 2);
    assert.match(w.err(), /not available in this build/);
  });

  it('prints its help on --help and exits 0', async () => {
    const w = world();
    assert.equal(await runDeactivate(['--help'], w.io), 0);
    assert.match(w.out(), /--reason <reason> +record why/);
    assert.match(w.out(), /Exit code: 0 all users done, 1 any user failed or ended partial, 2 usage or configuration error/);
  });
});

describe('genesys-otel-enricher reactivate', () => {
  it('restores deactivated users and fails, per user, those never deactivated', async () => {
    const fake = FakeDeactivation.withActiveUsers(5);
    const first = world({ fake });
    await runDeactivate([fakeUserId(1)], first.io);
    const w = world({ fake });
    const code = await runReactivate([fakeUserId(1), fakeUserId(2)], w.io);
    assert.equal(code, 1);
    assert.equal(fake.user(fakeUserId(1))?.state, 'active');
    assert.match(w.out(), new RegExp(`${fakeUserId(1)} +Agent 1 +completed`));
    assert.match(w.out(), /no_snapshot: no recorded deactivation/);
  });

  it('takes no --reason', async () => {
    const w = world();
    assert.equal(await runReactivate(['--reason', 'Voluntary', fakeUserId(1)], w.io), 2);
    assert.match(w.err(), /Unknown option '--reason'/);
  });
});
