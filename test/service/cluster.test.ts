/**
 * ENRICHER_WORKERS=2: the real CLI forks two workers sharing the OTLP and
 * admin ports. Both serve (each resolves users with its own Genesys client),
 * a worker that dies is replaced, and SIGTERM drains every worker and exits 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { TRACE_EXPORT_PATH } from '../../src/otlp/protos';
import { startSimulator, type Simulator } from '../../src/simulator/index';
import { GrpcSink } from '../helpers/grpcSink';
import { encodeRequest } from '../helpers/otlpFixtures';

const MAIN = path.resolve(__dirname, '../../src/cli/main.js');

interface LogLine {
  msg: string;
  worker?: number;
  workerPid?: number;
  grpcPort?: number;
  adminPort?: number;
  clean?: boolean;
}

/** The CLI with only our environment; its pino lines parsed as they come. */
function serve(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN, 'serve'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const text = partial + d.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) if (p.startsWith('{')) lines.push(JSON.parse(p) as LogLine);
  });
  child.stderr.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const waitFor = async (what: string, test: (l: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const hit = lines.find(test);
      if (hit) return hit;
      if (Date.now() > end || child.exitCode !== null) throw new Error(`no "${what}" log line; stderr: ${stderr}; last: ${JSON.stringify(lines.slice(-3))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, lines, exited, waitFor };
}

/** One Export over a connection of its own (a local subchannel pool: no sharing with other clients). */
async function exportOnOwnConnection(port: number, bytes: Buffer): Promise<void> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  const identity = (b: Buffer): Buffer => b;
  try {
    await new Promise<void>((resolve, reject) =>
      client.makeUnaryRequest(TRACE_EXPORT_PATH, identity, identity, bytes, { deadline: Date.now() + 10_000 }, (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    client.close();
  }
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => http.get(url, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', () => resolve(0)));
}

describe('serve with ENRICHER_WORKERS=2', () => {
  let sim: Simulator;
  let sink: GrpcSink;
  before(async () => {
    sim = await startSimulator({ port: 0 });
    sink = await GrpcSink.start();
  });
  after(async () => {
    await sink.close();
    await sim.close();
  });

  it('serves on one port from two workers, replaces a worker that dies, and drains all on SIGTERM (exit 0)', async () => {
    const run = serve({
      ENRICHER_WORKERS: '2',
      ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0',
      ENRICHER_OTLP_HTTP_ADDRESS: 'off',
      ENRICHER_ADMIN_ADDRESS: '127.0.0.1:0',
      ENRICHER_EXPORT_OTLP_ENDPOINT: sink.endpoint,
      ENRICHER_LOOKUP_BUDGET_MS: '5000',
      ENRICHER_WARMUP: 'off', // each worker's first token request is how the test tells that both served
      ENRICHER_SHUTDOWN_GRACE_MS: '2000',
      GENESYS_CLIENT_ID: sim.clientId,
      GENESYS_CLIENT_SECRET: sim.clientSecret,
      GENESYS_API_URL: sim.url,
    });
    try {
      const started = await run.waitFor('workers started', (l) => l.msg === 'genesys-otel-enricher workers started');
      const workers = run.lines.filter((l) => l.msg === 'worker serving');
      assert.equal(new Set(workers.map((l) => l.workerPid)).size, 2, 'two worker processes');
      assert.ok(workers.every((l) => l.workerPid !== run.child.pid), 'the primary itself does not serve');
      assert.equal(await status(`http://127.0.0.1:${started.adminPort}/readyz`), 200);

      // Connections are dealt round-robin: eight connections reach both workers, and each
      // worker resolves users with its own Genesys client (hence its own token).
      sim.resetStats();
      const ids = sim.org.active.slice(0, 8);
      await Promise.all(
        ids.map((id, i) =>
          exportOnOwnConnection(
            started.grpcPort!,
            encodeRequest({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, i + 1), name: `op-${i}`, attributes: [{ key: 'external.user.id', value: { stringValue: id } }] }] }] }] }),
          ),
        ),
      );
      const spans = await sink.waitForSpans(ids.length);
      for (const s of spans) assert.equal(s.attributes['user.full_name'], sim.getUser(s.attributes['external.user.id'] as string)!.name);
      assert.equal(sim.stats().byRoute['POST /oauth/token'], 2, 'both workers served requests');

      const victim = workers[0]!;
      process.kill(victim.workerPid!, 'SIGKILL');
      await run.waitFor('replacement', (l) => l.msg === 'worker serving' && l.worker === 3);
      await exportOnOwnConnection(started.grpcPort!, encodeRequest({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 2), spanId: Buffer.alloc(8, 9), name: 'after' }] }] }] }));

      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 0);
      await new Promise((r) => setImmediate(r)); // the last lines of the pipe
      const stopped = run.lines.filter((l) => l.msg === 'stopped');
      const survivor = workers.find((l) => l !== victim)!.worker!;
      assert.deepEqual(stopped.map((l) => l.worker ?? 'primary').sort(), [survivor, 3, 'primary'].sort());
      assert.equal(stopped.find((l) => l.worker === undefined)!.clean, true);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('exits 1 when a worker cannot start, without leaving workers behind', async () => {
    const run = serve({
      ENRICHER_WORKERS: '2',
      ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0',
      ENRICHER_OTLP_HTTP_ADDRESS: 'off',
      ENRICHER_ADMIN_ADDRESS: '192.0.2.1:1', // TEST-NET-1: not an address of this machine, so listening fails
      GENESYS_CLIENT_ID: sim.clientId,
      GENESYS_CLIENT_SECRET: sim.clientSecret,
      GENESYS_API_URL: sim.url,
    });
    try {
      assert.equal(await run.exited, 1);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
