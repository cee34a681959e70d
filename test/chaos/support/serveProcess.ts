/**
 * `genesys-otel-enricher serve` as a child process, as an operator runs it, so
 * a test can kill -9 it. The environment is the test's own (nothing inherited
 * but PATH); logs are JSON lines on stdout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const MAIN = path.resolve(__dirname, '../../../src/cli/main.js');

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The bound OTLP/gRPC port, from the start-up log line. */
  readonly grpcPort: number;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Parsed log records so far. */
  logs(): Array<Record<string, unknown>>;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
}

/** How to run it other than as this test runs: another working directory, entry file, user, or under a wrapper command. */
export interface ServeSpawnOptions {
  /** The compiled CLI, relative to `cwd` or absolute; default this build's. */
  readonly main?: string;
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
  /** A command that runs it, e.g. `['unshare', '--pid', '--fork']` (then `child` is the wrapper). */
  readonly wrapper?: readonly string[];
}

/** `serve` as a child process with its output collected; not yet started. */
export function spawnServe(env: Record<string, string>, options: ServeSpawnOptions = {}): ChildProcess {
  const { main = MAIN, cwd, uid, gid, wrapper = [] } = options;
  const [command, ...args] = [...wrapper, process.execPath, main, 'serve'];
  return spawn(command!, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd, uid, gid });
}

/**
 * Starts `serve` (log level info or lower) and resolves once it logged that it started; rejects if it exits or takes over `timeoutMs`.
 * `options` may be just a wrapper command (see ServeSpawnOptions.wrapper).
 */
export async function startServe(env: Record<string, string>, timeoutMs = 15_000, options: ServeSpawnOptions | readonly string[] = {}): Promise<ServeProcess> {
  const child = spawnServe(env, isWrapper(options) ? { wrapper: options } : options);
  let out = '';
  let err = '';
  const records: Array<Record<string, unknown>> = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk;
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        records.push(JSON.parse(line));
      } catch {
        // not a log line
      }
      child.emit('log');
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const output = () => `stdout:\n${out}\nstderr:\n${err}`;

  const started = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within ${timeoutMs} ms\n${output()}`)), timeoutMs);
    const onLog = () => {
      const line = records.find((r) => r.msg === 'genesys-otel-enricher started');
      if (!line) return;
      clearTimeout(timer);
      child.off('log', onLog);
      resolve(line);
    };
    child.on('log', onLog);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before starting\n${output()}`));
    });
  });
  let line: Record<string, unknown>;
  try {
    line = await started;
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const grpcPort = Number(String(line.otlpGrpc).split(':').pop());
  return { child, grpcPort, exited, logs: () => records, output };
}

/** Waits for a log record matching `predicate` (e.g. the shutdown summary). */
export async function waitForLog(proc: ServeProcess, predicate: (r: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = proc.logs().find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`log record not seen within ${timeoutMs} ms\n${proc.output()}`);
    await Promise.race([once(proc.child, 'log'), proc.exited, new Promise((r) => setTimeout(r, 500))]);
  }
}

function isWrapper(options: ServeSpawnOptions | readonly string[]): options is readonly string[] {
  return Array.isArray(options);
}
