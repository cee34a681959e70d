import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

/**
 * CPU pinning with taskset: the process under test gets a core of its own
 * (SUBJECT_CORE), everything that feeds or drains it shares the other
 * (DRIVER_CORE). Without taskset, or on one core, nothing is pinned and the
 * report says so.
 */
export const SUBJECT_CORE = 1;
export const DRIVER_CORE = 0;

const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => fs.existsSync(p));

/** Why pinning is off, or undefined when it is on. */
export const PINNING_UNAVAILABLE: string | undefined = !TASKSET
  ? 'taskset not found'
  : os.cpus().length <= SUBJECT_CORE
    ? `only ${os.cpus().length} CPU`
    : spawnSync(TASKSET, ['-c', String(SUBJECT_CORE), 'true']).status !== 0
      ? `taskset -c ${SUBJECT_CORE} is refused here`
      : undefined;

/** argv that runs `argv` on `core` (unchanged when pinning is unavailable). taskset execs, so the pid stays the program's. */
export function pinned(core: number, argv: readonly string[]): string[] {
  return PINNING_UNAVAILABLE ? [...argv] : [TASKSET!, '-c', String(core), ...argv];
}

/**
 * argv that runs `argv` on every CPU. Needed because children inherit the
 * harness's own affinity (pinSelf put it on the driver core).
 */
export function onAllCores(argv: readonly string[]): string[] {
  return PINNING_UNAVAILABLE ? [...argv] : [TASKSET!, '-c', `0-${os.cpus().length - 1}`, ...argv];
}

/** Moves every thread of the current process to `core`; false when that did not happen. */
export function pinSelf(core: number): boolean {
  if (PINNING_UNAVAILABLE) return false;
  try {
    execFileSync(TASKSET!, ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
