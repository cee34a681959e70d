import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { createDeactivationRuntime, type DeactivationFactory } from './deactivationFactory';
import type { ProgressStream } from './progress';

/**
 * Everything a deactivation command touches outside itself, injected so tests
 * run it in-process with buffers, an environment of their own and a fake use case.
 */
export interface CommandIo {
  /** The table or JSON (the command's result). */
  readonly stdout: { write(s: string): unknown };
  /** Progress, notes, logs and errors. A TTY gets a redrawn bar. */
  readonly stderr: ProgressStream;
  /** Environment variables, read only through configFromEnv. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly factory: DeactivationFactory;
  readFile(path: string): Promise<string>;
  /** Who runs it, for the reports and the journal: `cli:<os user>`. */
  readonly actor: string;
  /** Aborts the run (Ctrl-C): users not yet started are not run; the journal lets a rerun resume. */
  readonly signal?: AbortSignal;
}

/** The real process: stdout/stderr, process.env, the real factory, Ctrl-C as the abort signal. */
export function processCommandIo(): CommandIo {
  const interrupt = new AbortController();
  // The first Ctrl-C stops starting new users; the listener is then gone, so a second one ends the process at once.
  process.once('SIGINT', () => {
    process.stderr.write('\ninterrupted: finishing the users in flight; run the same command again to resume the rest\n');
    interrupt.abort();
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    factory: createDeactivationRuntime,
    readFile: (path) => readFile(path, 'utf8'),
    actor: `cli:${osUser()}`,
    signal: interrupt.signal,
  };
}

function osUser(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown'; // no passwd entry (some containers)
  }
}
