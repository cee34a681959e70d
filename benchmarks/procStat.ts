import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Kernel clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, almost always 100). */
export const CLOCK_TICKS_PER_SECOND = readClockTicks();

function readClockTicks(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/** CPU time (user + system, all threads) a process has used so far, seconds; resolution 1/CLK_TCK. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]); // field 14
  const stime = Number(fields[12]); // field 15
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size now (VmRSS), bytes. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** `pid` and every live descendant (a cluster primary and its workers), from the ppid field of /proc/<pid>/stat. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]); // field 4
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const visit = (p: number) => {
    tree.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return tree;
}

/** CPU seconds of `pid` and its live descendants (a process that exited meanwhile counts 0). */
export function treeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + orZero(() => cpuSeconds(p)), 0);
}

/** VmRSS of `pid` and its live descendants, bytes. */
export function treeRssBytes(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + orZero(() => rssBytes(p)), 0);
}

function orZero(read: () => number): number {
  try {
    return read();
  } catch {
    return 0;
  }
}
