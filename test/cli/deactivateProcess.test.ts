import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoAgents } from '../../src/simulator/index';

const MAIN = path.resolve(__dirname, '../../src/cli/main.js');
const USER = '6a1f0c52-3d4e-4b8a-9f10-2c3d4e5f6a7b';

/** Runs the compiled CLI to the end with an environment of our own (nothing inherited but PATH). */
async function runCli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, out, err };
}

describe('genesys-otel-enricher deactivate / reactivate, as a process', () => {
  it('lists both commands in the help', async () => {
    const { code, out } = await runCli(['help']);
    assert.equal(code, 0);
    assert.match(out, /deactivate +soft-deactivate offboarded agents/);
    assert.match(out, /reactivate +restore users deactivated by this tool/);
  });

  it('refuses to run without Genesys credentials rather than deactivate demo users: exit 2, nothing on stdout', async () => {
    const { code, out, err } = await runCli(['deactivate', USER]);
    assert.equal(code, 2);
    assert.match(err, /GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET are not set.*--simulator/);
    assert.equal(out, '');
  });

  it('refuses, exit 2 naming ENRICHER_DATA_DIR, a journal directory it cannot create or write, before any Genesys call', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'cli-unwritable-'));
    try {
      writeFileSync(path.join(cwd, 'a-file'), ''); // a directory inside a file cannot be made, whoever runs the test
      const env = { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'secret', GENESYS_API_URL: 'http://127.0.0.1:9', ENRICHER_DATA_DIR: 'a-file/journal' };
      const { code, out, err } = await runCli(['deactivate', '00853c04-1d3a-4d45-aab2-2e0d737b2229'], env, cwd);
      assert.equal(code, 2, err);
      assert.equal(out, '');
      assert.match(err, /ENRICHER_DATA_DIR \(deactivation\.data_dir\): "a-file\/journal" \(.*\/a-file\/journal\) is not a writable directory \(ENOTDIR\)/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('with --simulator, deactivates demo users for real, fails malformed ids on their own, and leaves no journal behind', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'cli-sim-'));
    try {
      const [alice, bob] = demoAgents().active;
      const { code, out, err } = await runCli(['deactivate', '--simulator', '--json', '--reason', 'Leave', alice, 'bogus', bob], { ENRICHER_GENESYS_MAX_RPM: '3000' }, cwd);
      assert.equal(code, 1, err);
      const items = JSON.parse(out) as { userId: string; report?: { status: string; reason?: string; actor: string }; error?: { code: string } }[];
      assert.deepEqual(items.map((i) => i.report?.status ?? i.error?.code), ['completed', 'invalid_user_id', 'completed']);
      assert.equal(items[0].report?.reason, 'Leave');
      assert.match(items[0].report?.actor ?? '', /^cli:/);
      assert.match(err, /BUILT-IN GENESYS SIMULATOR/);
      assert.match(err, /deactivate: 3\/3 users done, 1 failed/);
      assert.ok(!existsSync(path.join(cwd, 'data')), 'simulator runs keep their journal in a temporary directory');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
