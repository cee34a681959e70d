/**
 * A real `redis-server` (Debian's package) on a free loopback port in its own
 * temp directory, for tests of the fleet. No persistence unless asked for
 * (`appendonly`). `kill()` stops it at once (SIGKILL, as a crash), `restart()`
 * brings it back on the same port, so clients see an outage and a recovery.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RedisServerOptions {
  /** requirepass: clients must authenticate with it. */
  readonly password?: string;
  /** Append-only file on (for tests of what survives a Redis restart). Default off. */
  readonly appendonly?: boolean;
}

export interface RedisServer {
  readonly port: number;
  /** `redis://[:password@]127.0.0.1:port`. */
  readonly url: string;
  /** Kills the server at once (SIGKILL); its data is gone unless appendonly. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. Safe twice. */
  stop(): Promise<void>;
  /** Runs one command through redis-cli-free RESP over a socket; for assertions. */
  command(...args: string[]): Promise<string | number | null | unknown[]>;
}

/** Starts redis-server; rejects when the binary is missing (.ci/run installs it). */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'enricher-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
  args.push('--appendonly', options.appendonly ? 'yes' : 'no');
  if (options.appendonly) args.push('--appendfsync', 'always');
  if (options.password) args.push('--requirepass', options.password);

  const launch = async () => {
    child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c));
    const failed = once(child, 'exit').then(() => {
      throw new Error(`redis-server exited: ${err}`);
    });
    failed.catch(() => undefined);
    const spawnError = once(child, 'error').then(([e]) => {
      throw new Error(`redis-server could not start (apt-get install redis-server): ${(e as Error).message}`);
    });
    spawnError.catch(() => undefined);
    await Promise.race([waitForPing(port, options.password), failed, spawnError]);
  };
  const halt = async (signal: NodeJS.Signals) => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = once(c, 'exit');
    c.kill(signal);
    await exited;
  };
  await launch();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  let stopped = false;
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    kill: () => halt('SIGKILL'),
    restart: async () => {
      await halt('SIGKILL');
      await launch();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    command: (...cmd: string[]) => respCommand(port, options.password ? [['AUTH', options.password], cmd] : [cmd]),
  };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForPing(port: number, password: string | undefined): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const reply = await respCommand(port, password ? [['AUTH', password], ['PING']] : [['PING']]);
      if (reply === 'PONG') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer PING within 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends commands over one connection and resolves with the last reply (a tiny RESP2 reader). */
function respCommand(port: number, commands: string[][]): Promise<string | number | null | unknown[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const replies: unknown[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('redis command timed out')));
    socket.on('error', reject);
    socket.on('connect', () => {
      for (const c of commands) socket.write(`*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const parsed = parseResp(buf, 0);
        if (!parsed) break;
        buf = buf.subarray(parsed.end);
        replies.push(parsed.value);
        if (replies.length === commands.length) {
          socket.end();
          const last = replies[replies.length - 1];
          if (last instanceof Error) reject(last);
          else resolve(last as string | number | null | unknown[]);
          return;
        }
      }
    });
  });
}

function parseResp(buf: Buffer, at: number): { value: unknown; end: number } | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[at]!);
  const line = buf.toString('utf8', at + 1, eol);
  if (type === '+') return { value: line, end: eol + 2 };
  if (type === '-') return { value: new Error(line), end: eol + 2 };
  if (type === ':') return { value: Number(line), end: eol + 2 };
  if (type === '$') {
    const n = Number(line);
    if (n < 0) return { value: null, end: eol + 2 };
    if (buf.length < eol + 2 + n + 2) return undefined;
    return { value: buf.toString('utf8', eol + 2, eol + 2 + n), end: eol + 2 + n + 2 };
  }
  if (type === '*') {
    const n = Number(line);
    if (n < 0) return { value: null, end: eol + 2 };
    const items: unknown[] = [];
    let end = eol + 2;
    for (let i = 0; i < n; i++) {
      const item = parseResp(buf, end);
      if (!item) return undefined;
      items.push(item.value);
      end = item.end;
    }
    return { value: items, end };
  }
  throw new Error(`unexpected RESP type ${type}`);
}
