import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../telemetry/logger';

/**
 * How the service opens the files of its own directories (the persistent
 * queue, the deactivation journal): they hold names and e-mail addresses, and
 * whoever can plant a file in such a directory must not make the service write
 * somewhere else. So every file is opened with O_NOFOLLOW (a symbolic link is
 * refused, never followed: otherwise a link to /etc/passwd named like a
 * segment would be truncated or appended to), must be a regular file, and is
 * created 0600 in directories created 0700. Existing looser permissions are
 * logged once (per directory, naming the first such file; per directory path)
 * and left alone: an operator may have widened them on purpose.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** How a file is opened: read only; read and write (created if missing); append (created if missing). */
export type PrivateOpenMode = 'read' | 'readwrite' | 'append';

const O = constants;
// Windows has no O_NOFOLLOW (undefined): an lstat check before opening stands in for it there.
const NOFOLLOW: number = O.O_NOFOLLOW ?? 0;
// A FIFO planted under a file's name would block open() until someone writes to it; non-blocking, it opens and is then refused as not a regular file.
const NONBLOCK: number = O.O_NONBLOCK ?? 0;
const FLAGS: Readonly<Record<PrivateOpenMode, number>> = {
  read: O.O_RDONLY,
  readwrite: O.O_RDWR | O.O_CREAT,
  append: O.O_WRONLY | O.O_APPEND | O.O_CREAT,
};

/** A path the service refused to open; `code` is ELOOP (a symbolic link) or EFTYPE (not a regular file / directory). */
export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    readonly code: 'ELOOP' | 'EFTYPE',
    what: string,
  ) {
    super(`refusing ${path}: ${what}`);
    this.name = 'UnsafePathError';
  }
}

/** The rules above, for one component; its logger gets the permission warnings. */
export class PrivateFiles {
  private readonly warned = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /**
   * Creates `dir` (and missing parents, 0700) if needed and checks it is a
   * directory. `own`: a sub-directory the service itself names (a symbolic link
   * there is refused); the directory an operator configured may be a link.
   */
  async ensureDir(dir: string, own = false): Promise<void> {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const st = await lstat(dir);
    if (st.isSymbolicLink()) {
      if (own) throw new UnsafePathError(dir, 'ELOOP', 'it is a symbolic link; the service only uses a directory it created');
    } else if (!st.isDirectory()) {
      throw new UnsafePathError(dir, 'EFTYPE', 'not a directory');
    } else {
      this.checkMode(dir, st, PRIVATE_DIR_MODE, `dir:${dir}`);
    }
  }

  /** Opens a file of one of those directories, creating it 0600 unless `read`; refuses a symbolic link or a non-regular file. */
  async open(file: string, mode: PrivateOpenMode, exclusive = false): Promise<FileHandle> {
    if (NOFOLLOW === 0) await refuseLink(file);
    let handle: FileHandle;
    try {
      handle = await open(file, FLAGS[mode] | NOFOLLOW | NONBLOCK | (exclusive ? O.O_EXCL | O.O_CREAT : 0), PRIVATE_FILE_MODE);
    } catch (err) {
      // ELOOP (Linux, macOS) / EMLINK (FreeBSD): the last component is a link.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'EMLINK') throw new UnsafePathError(file, 'ELOOP', 'it is a symbolic link (never followed)');
      throw err;
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new UnsafePathError(file, 'EFTYPE', 'not a regular file');
      this.checkMode(file, st, PRIVATE_FILE_MODE, `files in:${path.dirname(file)}`);
      return handle;
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** The whole content of a file of those directories (never through a link). Rejects with ENOENT when missing. */
  async readFile(file: string): Promise<Buffer> {
    const handle = await this.open(file, 'read');
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  /** Warns, once per `key`, when group or others have more than `wanted` allows. */
  private checkMode(what: string, st: Stats, wanted: number, key: string): void {
    const mode = st.mode & 0o777;
    if ((mode & ~wanted & 0o077) === 0 || this.warned.has(key)) return;
    this.warned.add(key);
    const kind = st.isDirectory() ? 'directory' : 'file';
    this.logger.warn(
      { path: what, mode: octal(mode), expected: octal(wanted) },
      `${kind} ${what} is accessible to other users (mode ${octal(mode)}); it holds personal data: chmod ${octal(wanted)}` +
        (kind === 'file' ? ' (other files of its directory are not reported again)' : ''),
    );
  }
}

async function refuseLink(file: string): Promise<void> {
  try {
    if ((await lstat(file)).isSymbolicLink()) throw new UnsafePathError(file, 'ELOOP', 'it is a symbolic link (never followed)');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

const octal = (mode: number): string => `0${mode.toString(8)}`;
