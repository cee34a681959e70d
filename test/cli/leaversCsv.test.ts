/**
 * `deactivate --file leavers.csv --column employee_id --authority HR`, the
 * way an offboarding starts from an HR export: the real command over the
 * real use case (Deactivator, file journal, BulkRunner) and the simulator
 * behind the real SDK.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runDeactivate } from '../../src/cli/commands/deactivate';
import type { CommandIo } from '../../src/cli/commandIo';
import { runtimeOver } from '../../src/cli/deactivationFactory';
import { ACTOR, changingRoutes, startRig, type Rig } from '../deactivation/support/rig';

const CREDENTIALS = { GENESYS_CLIENT_ID: 'client', GENESYS_CLIENT_SECRET: 'secret' };
const UNKNOWN_KEYS = ['X-404-1', 'X-404-2', 'X-404-3'];

describe('deactivate from an HR export of 50 leavers (3 unknown to Genesys)', () => {
  let rig: Rig;
  let leavers: { userId: string; key: string; name: string }[];
  let csv: string;

  before(async () => {
    rig = await startRig();
    const division = rig.sim.getUser(rig.sim.org.active[0]!)!.division;
    for (let i = 0; i < 9; i++) {
      const id = `cccccccc-0000-4000-8000-${String(i).padStart(12, '0')}`;
      rig.sim.putUser({ id, name: `Temp Worker ${i}`, username: `temp${i}@demo.example`, email: `temp${i}@demo.example`, state: 'active', division });
    }
    const people = [...rig.sim.org.active, ...rig.sim.org.inactive, ...Array.from({ length: 9 }, (_, i) => `cccccccc-0000-4000-8000-${String(i).padStart(12, '0')}`)];
    leavers = people.map((userId, i) => ({ userId, key: `HR-${7000 + i}`, name: rig.sim.getUser(userId)!.name }));
    for (const l of leavers) rig.sim.addExternalId(l.userId, 'HR', l.key);
    assert.equal(leavers.length, 47);
    // What an HR system exports: a BOM, CRLF, quoted names with commas and quotes, blank lines, unknown people among the known.
    const rows = [...leavers.map((l) => [l.key, l.name]), ...UNKNOWN_KEYS.map((k) => [k, 'Gone "Ghost", Person'])];
    rows.splice(10, 0, ...rows.splice(47, 3)); // the unknown ones in the middle
    csv = '\uFEFFemployee_id,full name,leaving date\r\n' + rows.map(([key, name], i) => `${key},"${name!.split(' ').reverse().join(', ').replace(/"/g, '""')}",2026-12-${String(1 + (i % 28)).padStart(2, '0')}\r\n${i % 17 === 5 ? '\r\n' : ''}`).join('');
  });
  after(() => rig.close());

  function world(tty: boolean) {
    let out = '';
    let err = '';
    const io: CommandIo = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s), isTTY: tty },
      env: CREDENTIALS,
      factory: async () => runtimeOver(rig.deactivator(), async () => undefined),
      readFile: async (path) => {
        if (path !== 'leavers.csv') throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return csv;
      },
      actor: ACTOR,
    };
    return { io, out: () => out, err: () => err };
  }

  const ARGS = ['--file', 'leavers.csv', '--column', 'employee_id', '--authority', 'HR'];

  /** Table rows as cells, cut at the columns of the rule under the header. */
  const rows = (out: string) => {
    const lines = out.trimEnd().split('\n');
    const starts = [...lines[1]!.matchAll(/-+/g)].map((m) => m.index ?? 0);
    return lines.slice(2, -1).map((l) => starts.map((st, i) => l.slice(st, starts[i + 1]).trim()));
  };

  it('the dry run resolves every row to a user id first, shows the plan with its SOURCE, reports the 3 unknown rows, and changes nothing', async () => {
    rig.sim.resetStats();
    const w = world(true);
    const code = await runDeactivate([...ARGS, '--dry-run'], w.io);
    assert.equal(code, 1, 'unresolvable rows make the exit code 1');
    assert.match(w.out(), /^SOURCE +USER ID +NAME +STATUS +CHANGED +LEFT +ERROR\n/);
    const table = rows(w.out());
    assert.equal(table.length, 50);
    const planned = table.filter((r) => r[3] === 'planned');
    assert.deepEqual(planned.map((r) => r[1]).sort(), leavers.map((l) => l.userId).sort());
    const first = leavers[0]!;
    assert.ok(planned.some((r) => r[0] === `leavers.csv line 2 (HR:${first.key})` && r[1] === first.userId && r[2] === first.name));
    const unknown = table.filter((r) => r[3] === 'failed');
    assert.deepEqual(unknown.map((r) => r[1]), ['-', '-', '-']);
    assert.deepEqual(unknown.map((r) => r[0]!.match(/\(HR:(.*)\)$/)![1]), UNKNOWN_KEYS);
    assert.ok(unknown.every((r) => /user_not_found: no Genesys user for leavers\.csv line \d+ \(HR:X-404-\d\)/.test(r.at(-1)!)));
    assert.match(w.out(), /50 users: 47 planned, 3 failed\n$/);
    assert.match(w.err(), /looking up 50 people by external id or email/);
    assert.match(w.err(), /3 could not be resolved to a user; they are reported and not run/);
    assert.match(w.err(), /\[#{30}\] 47\/47 {2}done/, 'the progress bar ran to the end');
    assert.deepEqual(changingRoutes(rig.sim), [], 'a dry run only reads');
    assert.ok(leavers.every((l) => rig.sim.getUser(l.userId)!.state !== 'inactive' || rig.sim.org.inactive.includes(l.userId)));
  });

  it('for real: the 47 are deactivated, the 3 unknown rows change nothing; a second run is unchanged for all 47', async () => {
    const w = world(false);
    const code = await runDeactivate(ARGS, w.io);
    assert.equal(code, 1);
    const table = rows(w.out());
    assert.equal(table.filter((r) => r[3] === 'completed').length, 47, w.out());
    assert.ok(leavers.every((l) => rig.sim.getUser(l.userId)!.state === 'inactive'));
    assert.match(w.err(), /deactivate: 47\/47 users done/, 'plain progress lines off a terminal');

    rig.sim.resetStats();
    const again = world(false);
    assert.equal(await runDeactivate([...ARGS, '--json'], again.io), 1);
    const items = JSON.parse(again.out()) as { userId: string; source?: string; report?: { status: string }; error?: { code: string } }[];
    assert.deepEqual(items.filter((i) => i.report).map((i) => i.report!.status), Array(47).fill('unchanged'));
    assert.deepEqual(items.filter((i) => i.error).map((i) => [i.userId, i.error!.code]), UNKNOWN_KEYS.map(() => ['', 'user_not_found']));
    assert.ok(items.every((i) => i.source?.startsWith('leavers.csv line ')));
    assert.deepEqual(changingRoutes(rig.sim), []);
  });
});
