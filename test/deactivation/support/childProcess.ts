/**
 * Runs a support script (./child.ts, compiled) in a separate Node process, as
 * the CLI would run beside the service: for locks across processes and for
 * runs killed with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export interface ChildTask {
  readonly mode: 'hold-lock' | 'crash-run';
  readonly dataDir?: string;
  readonly userId?: string;
  readonly sim?: { url: string; clientId: string; clientSecret: string };
  /** crash-run: SIGKILL itself right after the nth call of this operation took effect. */
  readonly operation?: string;
  readonly nth?: number;
}

export interface RunningChild {
  readonly child: ChildProcess;
  /** Resolves with the first line the child prints (e.g. `locked`). */
  readonly firstLine: Promise<string>;
  /** Resolves when it has exited (and been reaped), with its exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the child; the task travels in an environment variable, never on the command line. */
export function startChild(task: ChildTask): RunningChild {
  const child = spawn(process.execPath, [join(__dirname, 'child.js')], {
    env: { ...process.env, DEACTIVATION_CHILD_TASK: JSON.stringify(task) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const firstLine = new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end >= 0) resolve(buffered.slice(0, end));
    });
    void exited.then(() => reject(new Error('the child exited before printing a line')));
  });
  firstLine.catch(() => undefined);
  return { child, firstLine, exited };
}

/** The pid of a process that has exited and been reaped: no process has it now (until the OS reuses it). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}
