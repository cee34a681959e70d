/**
 * The command line as a user meets it: every command answers --help the same
 * way (usage on stdout, exit 0) and refuses an unknown option the same way
 * (the problem and the usage on stderr, exit 2).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { GrpcSink } from '../helpers/grpcSink';

const MAIN = path.resolve(__dirname, '../../src/cli/main.js');
const COMMANDS = ['serve', 'demo', 'config', 'simulator', 'demo-traffic', 'deactivate', 'reactivate'];

async function run(args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe('genesys-otel-enricher <command> --help', () => {
  for (const command of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      it(`${command} ${flag}: usage on stdout, exit 0, nothing started`, async () => {
        const { code, stdout, stderr } = await run([command, flag], 10_000);
        assert.equal(code, 0, stderr);
        assert.match(stdout, new RegExp(`^usage: genesys-otel-enricher ${command} `));
        assert.match(stdout, /-h, --help +show this text/);
        assert.equal(stderr, '');
      });
    }
  }

  it('help, --help and no command at all', async () => {
    for (const args of [['help'], ['--help'], ['-h']]) {
      const { code, stdout } = await run(args);
      assert.equal(code, 0);
      assert.match(stdout, /^usage: genesys-otel-enricher <command>/);
      assert.match(stdout, /genesys-otel-enricher <command> --help/);
    }
    const none = await run([]);
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /which command\?/);
  });
});

describe('genesys-otel-enricher <command> --no-such-option', () => {
  for (const command of COMMANDS) {
    it(`${command}: the problem and the usage on stderr, exit 2`, async () => {
      const { code, stdout, stderr } = await run([command, '--no-such-option'], 10_000);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /Unknown option '--no-such-option'/);
      assert.match(stderr, new RegExp(`usage: genesys-otel-enricher ${command} `));
      assert.equal(stdout, '');
    });
  }

  it('a bad value is a usage error too (exit 2), not a crash', async () => {
    for (const args of [['simulator', '--port', 'x'], ['demo-traffic', '--rate', '0'], ['demo-traffic', '--count', '1.5'], ['config', '--format', 'xml']]) {
      const { code, stderr } = await run(args, 10_000);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, new RegExp(`^genesys-otel-enricher ${args[0]}: ${args[1]} must be`));
    }
  });
});

describe('demo-traffic', () => {
  it('says what it sends and that the not_found spans are on purpose, marks each span, and reports its own shutdown', async () => {
    const sink = await GrpcSink.start();
    try {
      const { code, stdout, stderr } = await run(['demo-traffic', '--target', `127.0.0.1:${sink.port}`, '--rate', '50', '--count', '40']);
      assert.equal(code, 0, stderr);
      assert.match(stdout, new RegExp(`^demo traffic: 50 traces/s to http://127\\.0\\.0\\.1:${sink.port} \\(OTLP/gRPC\\)`));
      assert.match(stdout, /malformed ids such as "agent-8" +-> genesys\.user\.lookup=not_found, as intended/);
      assert.match(stdout, /demo traffic stopping: flushing the spans still buffered\ndemo traffic stopped: sent 40 traces\n$/);
      const spans = await sink.waitForSpans(120);
      const kinds = new Set(spans.map((s) => s.attributes['demo.agent_kind']));
      for (const kind of ['active', 'inactive', 'deleted', 'unknown', 'malformed']) assert.ok(kinds.has(kind), `a span marked ${kind}`);
      for (const s of spans.filter((x) => x.attributes['demo.agent_kind'] === 'malformed')) assert.match(String(s.attributes['external.user.id']), /^agent-\d+$/);
    } finally {
      await sink.close();
    }
  });
});

describe('demo', () => {
  it('prints the banner with what traffic goes where, and logs its own shutdown', async () => {
    const child = spawn(process.execPath, [MAIN, 'demo'], {
      env: { PATH: process.env.PATH ?? '', ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0', ENRICHER_OTLP_HTTP_ADDRESS: '127.0.0.1:0', ENRICHER_ADMIN_ADDRESS: '127.0.0.1:0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 30_000;
    while (!/genesys\.user\.lookup=not_found, as intended/.test(stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.match(stdout, /is running on the BUILT-IN GENESYS SIMULATOR/);
    assert.match(stdout, /demo traffic: 2 traces\/s to http:\/\/127\.0\.0\.1:\d+ \(OTLP\/gRPC\)/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stdout);
    const msgs = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { msg: string }).msg);
    const order = ['demo stopping: traffic first, then the service drains', 'demo traffic stopped', 'stopped'].map((m) => msgs.indexOf(m));
    assert.ok(order.every((i) => i >= 0) && order[0]! < order[1]! && order[1]! < order[2]!, `shutdown logged in order: ${msgs.join(' | ')}`);
  });
});
