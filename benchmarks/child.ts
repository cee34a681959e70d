import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** How to start one process of the benchmark. */
export interface ChildSpec {
  /** Label used in errors. */
  name: string;
  /** Program and arguments (already wrapped by `pinned()` if wanted). */
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** stdout and stderr go here, never through the parent. */
  logFile: string;
  /** Open a Node IPC channel (the program must be a Node script). */
  ipc: boolean;
}

/**
 * A child process with its output in a log file and, for Node scripts, an IPC
 * channel read as a message queue. Waits fail early, with the log's tail,
 * when the child exits.
 */
export class Child {
  private readonly proc: ChildProcess;
  private readonly inbox: unknown[] = [];
  private wake: (() => void) | undefined;
  private exitCode: number | null | undefined;
  readonly exited: Promise<void>;

  constructor(private readonly spec: ChildSpec) {
    const log = fs.openSync(spec.logFile, 'a');
    this.proc = spawn(spec.argv[0]!, spec.argv.slice(1), { env: spec.env, stdio: ['ignore', log, log, ...(spec.ipc ? ['ipc' as const] : [])] });
    fs.closeSync(log);
    this.proc.on('message', (m) => {
      this.inbox.push(m);
      this.wake?.();
    });
    this.exited = new Promise((resolve) =>
      this.proc.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        this.wake?.();
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  send(message: unknown): void {
    this.proc.send?.(message as object);
  }

  /** The first queued message of `type` (removed from the queue), waiting up to `timeoutMs`. */
  async next<T extends { type: string }>(type: T['type'], timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => (m as { type?: string }).type === type);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as T;
      if (!this.running) throw this.failure(`exited (code ${this.exitCode}) before sending "${type}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw this.failure(`sent no "${type}" within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** An Error naming the child, with the last lines of its log. */
  failure(what: string): Error {
    return new Error(`${this.spec.name} ${what}\n--- last lines of ${this.spec.logFile} ---\n${tail(this.spec.logFile, 20)}`);
  }
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
