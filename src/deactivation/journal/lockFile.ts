import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { PrivateFiles } from '../../util/privateFiles';

/** Who holds a lock; the lock file's whole content, as JSON. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** ISO 8601. */
  readonly at: string;
  /** Unique per acquisition: tells this holder's lock from a later one at the same path. */
  readonly token: string;
}

/** An acquired lock. */
export interface HeldLock {
  readonly owner: LockOwner;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/** The lock is held by someone alive (or on another host, where liveness cannot be checked). */
export interface Busy {
  readonly busy: true;
  /** Undefined when the holder could not be read. */
  readonly holder: LockOwner | undefined;
}

export interface LockIdentity {
  readonly pid: number;
  readonly hostname: string;
  readonly now: () => number;
  /** Whether a process of this host is alive. Default: `process.kill(pid, 0)`. */
  readonly isAlive?: (pid: number) => boolean;
  /** Reads lock files without following a symbolic link (a planted link is refused, never read or written through). */
  readonly files: PrivateFiles;
}

/**
 * Takes the lock at `path`, an exclusive lock file holding its owner (pid,
 * host, time). The file is written in full under a temporary name and then
 * hard-linked into place, which fails if the path exists: so a lock file is
 * never seen half-written, even after a crash (file systems without hard
 * links fall back to an O_EXCL create). A lock whose owner is a dead
 * process of this host is stale and is broken: renamed away first, and only
 * deleted if it is still the stale one (two processes breaking the same stale
 * lock must not delete each other's fresh lock). Rejects on I/O errors.
 */
export async function acquireLock(path: string, identity: LockIdentity): Promise<HeldLock | Busy> {
  const isAlive = identity.isAlive ?? processIsAlive;
  let holder: LockOwner | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const owner: LockOwner = { pid: identity.pid, hostname: identity.hostname, at: new Date(identity.now()).toISOString(), token: randomUUID() };
    if (await tryCreate(path, owner)) return held(path, owner, identity.files);
    const read = await readOwner(path, identity.files);
    if (read === 'missing') continue; // released meanwhile
    holder = read === 'unreadable' ? undefined : read;
    const stale = holder === undefined || (holder.hostname === identity.hostname && !isAlive(holder.pid));
    if (!stale) return { busy: true, holder };
    await breakStale(path, holder, identity.files);
  }
  return { busy: true, holder };
}

async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  const temporary = `${path}.${owner.token}.tmp`;
  const file = await fs.open(temporary, 'wx', 0o600);
  try {
    await file.writeFile(`${JSON.stringify(owner)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await fs.link(temporary, path);
    return true;
  } catch (err) {
    if (codeOf(err) === 'EEXIST') return false;
    if (LINK_UNSUPPORTED.has(codeOf(err) ?? '')) return createInPlace(path, owner);
    throw err;
  } finally {
    await fs.rm(temporary, { force: true });
  }
}

/** Errors of file systems without hard links (some network and FUSE mounts). */
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

// Without hard links: O_EXCL create, then write. A crash in between leaves an empty lock, which reads as stale.
async function createInPlace(path: string, owner: LockOwner): Promise<boolean> {
  let file: fs.FileHandle;
  try {
    file = await fs.open(path, 'wx', 0o600);
  } catch (err) {
    if (codeOf(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    await file.writeFile(`${JSON.stringify(owner)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  return true;
}

async function readOwner(path: string, files: PrivateFiles): Promise<LockOwner | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = (await files.readFile(path)).toString('utf8');
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return 'missing';
    throw err;
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.hostname === 'string' && typeof owner.token === 'string' && typeof owner.at === 'string') {
      return owner as LockOwner;
    }
  } catch {
    // fall through
  }
  return 'unreadable';
}

async function breakStale(path: string, stale: LockOwner | undefined, files: PrivateFiles): Promise<void> {
  const aside = `${path}.${randomUUID()}.stale`;
  try {
    await fs.rename(path, aside);
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return; // someone else broke it first
    throw err;
  }
  const moved = await readOwner(aside, files);
  const same = stale === undefined ? moved === 'unreadable' : typeof moved === 'object' && moved.token === stale.token;
  if (!same) {
    // We moved a fresh lock someone took after our read: put it back unless yet another one took its place.
    await fs.link(aside, path).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}

function held(path: string, owner: LockOwner, files: PrivateFiles): HeldLock {
  let released = false;
  return {
    owner,
    async release() {
      if (released) return;
      released = true;
      const current = await readOwner(path, files);
      if (typeof current === 'object' && current.token === owner.token) await fs.rm(path, { force: true });
    },
  };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return codeOf(err) === 'EPERM';
  }
}

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? ((err as { code?: string }).code ?? undefined) : undefined;
}
