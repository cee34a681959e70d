import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { link, lstat, rename, rm, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../telemetry/logger';
import type { PrivateFiles } from '../../../util/privateFiles';
import { inDir, unlinkIfExists } from './files';

const LOCK_FILE = 'queue.lock';
/** The lock file is rewritten in place at this fixed size, so a heartbeat is one small write. */
const LOCK_BYTES = 512;

/** Options of {@link lockDir}. */
export interface DirLockOptions {
  readonly files: PrivateFiles;
  readonly logger: Logger;
  /**
   * A lock whose heartbeat has not moved for this long is stale and taken
   * over, milliseconds. Default 15 000. The holder beats every fifth of it.
   */
  readonly staleMs?: number;
  /** Called once if another instance took the lock over (this process was frozen longer than `staleMs`). */
  readonly onLost: () => void;
}

/** Default staleness, milliseconds. */
export const DIR_LOCK_DEFAULTS = Object.freeze({ staleMs: 15_000 });

/** What the lock file says about its holder. */
interface Holder {
  /** Unique per process start: tells this holder from any other, whatever pid namespace it is in. */
  readonly instance: string;
  readonly pid: number;
  readonly hostname: string;
  /** Kernel boot id (Linux): same boot id, same clock. */
  readonly bootId?: string;
  /** Pid namespace (Linux, e.g. `pid:[4026531836]`): only in the same one does `pid` mean a process we can see. */
  readonly pidNs?: string;
  readonly startedAt: string;
  /** Wall-clock time of the last heartbeat, ISO 8601. */
  readonly heartbeatAt: string;
  /** Heartbeat counter: any change means the holder is alive, whatever the clocks say. */
  readonly beat: number;
}

/**
 * Claims the queue directory for this process: two processes appending to the
 * same segments would corrupt them and delete each other's records. A pid alone
 * does not say who holds it once containers share a volume (every container's
 * first process is pid 1), so the lock file names a unique instance and carries
 * a heartbeat the holder rewrites every `staleMs / 5`.
 *
 * Another instance finding the lock refuses to start while the heartbeat moves.
 * The lock is stale, and taken over with a warning, when its holder is known to
 * be gone (same kernel and pid namespace, process not alive) or its heartbeat
 * has not moved for `staleMs` (a restart after kill -9 in a new container waits
 * out that much). No clocks are compared across hosts: a heartbeat's age is
 * only read off the wall clock on the same boot; elsewhere the contender
 * watches the counter. Node has no flock(), hence the heartbeat.
 *
 * The lock is created whole (written under a temporary name, then hard-linked
 * into place, which fails if it exists) and never rewritten through its name:
 * the holder writes through the handle it created, so a holder that wakes up
 * after a takeover writes into its own unlinked file, notices the path no longer
 * names it, and reports `onLost`. Resolves with the release.
 */
export async function lockDir(dir: string, options: DirLockOptions): Promise<() => Promise<void>> {
  const staleMs = options.staleMs ?? DIR_LOCK_DEFAULTS.staleMs;
  const file = inDir(dir, LOCK_FILE);
  const me = identity();
  for (let attempt = 0; attempt < 5; attempt++) {
    const handle = await tryCreate(dir, file, me, options.files);
    if (handle) return holdLock(file, handle, me, staleMs, options);
    const seen = await readHolder(file, options.files);
    if (seen === 'missing') continue; // released meanwhile
    const verdict = await judge(file, seen, me, staleMs, options.files);
    if (verdict === 'retry') continue;
    if (verdict === 'alive') {
      const who = seen === 'unreadable' ? 'another instance' : `instance ${seen.instance} (pid ${seen.pid} on ${seen.hostname}, heartbeat ${seen.heartbeatAt})`;
      throw new Error(`persistent queue directory ${dir} is in use by ${who}; one instance per directory`);
    }
    if (await breakStale(file, seen, options.files)) {
      options.logger.warn(
        { lockFile: file, previous: seen === 'unreadable' ? 'unreadable' : seen, staleMs },
        'persistent queue: took over a stale lock (its holder is gone or its heartbeat stopped)',
      );
    }
  }
  throw new Error(`persistent queue directory ${dir}: could not take ${file} (it keeps changing hands)`);
}

type Verdict = 'alive' | 'stale' | 'retry';

/** Whether the holder seen is alive, watching its heartbeat when its process cannot be checked directly. */
async function judge(file: string, seen: Holder | 'unreadable', me: Holder, staleMs: number, files: PrivateFiles): Promise<Verdict> {
  const sameBoot = seen !== 'unreadable' && seen.bootId !== undefined && seen.bootId === me.bootId;
  // Our own pid is alive (us): an earlier life of this pid, or another store of this process; the heartbeat tells.
  if (sameBoot && seen.pidNs !== undefined && seen.pidNs === me.pidNs && !isAlive(seen.pid)) return 'stale';
  // Same boot: one clock, so the heartbeat's age counts. Otherwise watch a full period.
  const since = sameBoot ? Math.min(Date.parse(seen.heartbeatAt) || Date.now(), Date.now()) : Date.now();
  const deadline = since + staleMs;
  const poll = Math.max(50, Math.min(500, staleMs / 10));
  while (Date.now() < deadline) {
    await sleep(Math.min(poll, Math.max(0, deadline - Date.now())));
    const now = await readHolder(file, files);
    if (now === 'missing') return 'retry';
    if (now === 'unreadable') {
      if (seen !== 'unreadable') return 'alive'; // caught mid-heartbeat
      continue;
    }
    if (seen === 'unreadable' || now.instance !== seen.instance) return 'retry'; // someone else holds it now
    if (now.beat !== seen.beat) return 'alive';
  }
  return 'stale';
}

function holdLock(file: string, handle: FileHandle, me: Holder, staleMs: number, options: DirLockOptions): () => Promise<void> {
  let beat = me.beat;
  let lost = false;
  let failing = false; // log a failing heartbeat once, not every beat
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = beating.then(async () => {
      if (lost) return;
      if (!(await stillNames(file, handle))) {
        lost = true;
        clearInterval(timer);
        options.logger.error({ lockFile: file }, 'persistent queue: another instance took the lock over (this process stalled); refusing requests');
        options.onLost();
        return;
      }
      await writeHolder(handle, { ...me, beat: ++beat, heartbeatAt: new Date().toISOString() });
      failing = false;
    }).catch((err: unknown) => {
      if (!failing) options.logger.warn({ err, lockFile: file }, 'persistent queue: could not write the lock heartbeat (another instance may take the directory over)');
      failing = true;
    });
  }, Math.max(10, Math.floor(staleMs / 5)));
  timer.unref();
  let released: Promise<void> | undefined;
  return () =>
    (released ??= (async () => {
      clearInterval(timer);
      await beating;
      if (!lost && (await stillNames(file, handle))) await unlinkIfExists(file);
      await handle.close();
    })());
}

/** Creates the lock whole, or resolves undefined when it exists. Keeps the handle: heartbeats go through it. */
async function tryCreate(dir: string, file: string, me: Holder, files: PrivateFiles): Promise<FileHandle | undefined> {
  const temporary = inDir(dir, `${LOCK_FILE}.${me.instance}.tmp`);
  const handle = await files.open(temporary, 'readwrite', true);
  try {
    await writeHolder(handle, me);
    try {
      await link(temporary, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        await handle.close();
        return undefined;
      }
      throw err;
    }
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  } finally {
    await unlinkIfExists(temporary);
  }
}

/** Renames the stale lock aside, then deletes it if it is still the one judged stale; true if it was. */
async function breakStale(file: string, stale: Holder | 'unreadable', files: PrivateFiles): Promise<boolean> {
  const aside = `${file}.${randomUUID()}.stale`;
  try {
    await rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // another contender broke it first
    throw err;
  }
  const moved = await readHolder(aside, files);
  const same = stale === 'unreadable' ? moved === 'unreadable' : typeof moved === 'object' && moved.instance === stale.instance;
  // We moved a lock someone took after our look: put it back (unless yet another took its place).
  if (!same) await link(aside, file).catch(() => undefined);
  await rm(aside, { force: true });
  return same;
}

async function readHolder(file: string, files: PrivateFiles): Promise<Holder | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = (await files.readFile(file)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (typeof h.instance === 'string' && typeof h.pid === 'number' && typeof h.beat === 'number' && typeof h.heartbeatAt === 'string') return h as Holder;
  } catch {
    // a torn or foreign file (an older version wrote a bare pid)
  }
  return 'unreadable';
}

async function writeHolder(handle: FileHandle, holder: Holder): Promise<void> {
  const buf = Buffer.alloc(LOCK_BYTES, 0x20);
  buf.write(JSON.stringify(holder), 'utf8');
  buf[LOCK_BYTES - 1] = 0x0a;
  await handle.write(buf, 0, LOCK_BYTES, 0);
  await handle.datasync(); // visible to other hosts of a network volume
}

/** True while the lock's path still names the file this holder created. */
async function stillNames(file: string, handle: FileHandle): Promise<boolean> {
  try {
    const [atPath, mine] = await Promise.all([lstat(file), handle.stat()]);
    return atPath.ino === mine.ino && atPath.dev === mine.dev;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

function identity(): Holder {
  const at = new Date().toISOString();
  return { instance: randomUUID(), pid: process.pid, hostname: hostname(), bootId: readProc(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()), pidNs: readProc(() => readlinkSync('/proc/self/ns/pid')), startedAt: at, heartbeatAt: at, beat: 0 };
}

function readProc(read: () => string): string | undefined {
  try {
    return read() || undefined;
  } catch {
    return undefined; // not Linux, or /proc not mounted
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
