import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { once } from 'node:events';
import { SERVICE_NODE_FLAGS } from '../../src/service/nodeFlags';

const MAIN = path.resolve(__dirname, '../../src/cli/main.js');

/** Runs the CLI with an environment of our own (nothing inherited but PATH). */
function runCli(args: string[], env: Record<string, string>, nodeFlags: readonly string[] = []) {
  const child = spawn(process.execPath, [...nodeFlags, MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, out: () => out, err: () => err };
}

async function waitFor(cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('genesys-otel-enricher serve', () => {
  it('starts on embedded defaults, announces the built-in simulator loudly, and exits 0 on SIGTERM', async () => {
    const run = runCli(['serve'], { ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0', ENRICHER_OTLP_HTTP_ADDRESS: '127.0.0.1:0', ENRICHER_ADMIN_ADDRESS: '127.0.0.1:0' });
    try {
      await waitFor(() => run.out().includes('genesys-otel-enricher started'));
      assert.match(run.out(), /BUILT-IN GENESYS SIMULATOR/);
      assert.match(run.out(), /ENRICHER_EXPORT_OTLP_ENDPOINT is not set/);
      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 0);
      assert.match(run.out(), /stopped/);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('warns when node runs without the flags the service is tuned for, and not when they are given', async () => {
    const env = { ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0', ENRICHER_OTLP_HTTP_ADDRESS: 'off', ENRICHER_ADMIN_ADDRESS: '127.0.0.1:0' };
    const started = async (nodeFlags: readonly string[], extraEnv: Record<string, string> = {}): Promise<string> => {
      const run = runCli(['serve'], { ...env, ...extraEnv }, nodeFlags);
      try {
        await waitFor(() => run.out().includes('genesys-otel-enricher started'));
        run.child.kill('SIGTERM');
        assert.equal(await run.exited, 0);
        return run.out();
      } finally {
        run.child.kill('SIGKILL');
      }
    };
    const bare = await started([]);
    const warning = bare.split('\n').find((l) => l.includes('node was started without'));
    assert.ok(warning, 'a warning when started without the flags');
    assert.equal(JSON.parse(warning).level, 40);
    for (const flag of SERVICE_NODE_FLAGS) assert.ok(warning.includes(flag), `the warning names ${flag}`);
    assert.doesNotMatch(await started(SERVICE_NODE_FLAGS), /node was started without/);
    assert.doesNotMatch(await started([], { NODE_OPTIONS: SERVICE_NODE_FLAGS.join(' ') }), /node was started without/);
  });

  it('refuses bad configuration with every problem named, and exit code 2', async () => {
    const run = runCli(['serve'], {
      ENRICHER_OTLP_GRPC_ADDRESS: 'everywhere',
      GENESYS_CLIENT_ID: 'id',
      GENESYS_CLIENT_SECRET: 'topsecret-value',
      ENRICHER_EXPORT_OTLP_ENDPOINT: 'jaeger',
    });
    assert.equal(await run.exited, 2);
    assert.match(run.err(), /ENRICHER_OTLP_GRPC_ADDRESS: must be host:port/);
    assert.match(run.err(), /ENRICHER_EXPORT_OTLP_ENDPOINT: /);
    assert.doesNotMatch(run.err() + run.out(), /topsecret-value/);
  });

  it('names the setting to change when a port is taken, and exits 2', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      for (const [setting, yaml] of [['ENRICHER_OTLP_GRPC_ADDRESS', 'receivers.otlp.grpc.address'], ['ENRICHER_OTLP_HTTP_ADDRESS', 'receivers.otlp.http.address'], ['ENRICHER_ADMIN_ADDRESS', 'admin.address']]) {
        const free = { ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0', ENRICHER_OTLP_HTTP_ADDRESS: '127.0.0.1:0', ENRICHER_ADMIN_ADDRESS: '127.0.0.1:0' };
        const run = runCli(['serve'], { ...free, [setting!]: `127.0.0.1:${port}` });
        assert.equal(await run.exited, 2, run.err());
        assert.match(run.err(), new RegExp(`${setting} \\(${yaml!.replace(/\./g, '\\.')}\\): 127\\.0\\.0\\.1:${port} is already in use by another process: stop it or choose a free port \\(EADDRINUSE\\)`));
        assert.doesNotMatch(run.err(), /\n\s+at /, 'no stack trace');
      }
    } finally {
      taken.close();
    }
  });

  it('says how to use it when the command is unknown', async () => {
    const run = runCli(['serv'], {});
    assert.equal(await run.exited, 2);
    assert.match(run.err(), /unknown command "serv"/);
    assert.match(run.err(), /serve +run the enrichment service/);
  });
});
