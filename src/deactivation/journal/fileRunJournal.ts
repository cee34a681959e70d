import { hostname as osHostname } from 'node:os';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { functionOption, intOption, requiredOption, stringOption } from '../../directory/options';
import { normalizeUserId } from '../../directory/userId';
import { silentLogger, type Logger } from '../../telemetry/logger';
import { PrivateFiles, UnsafePathError } from '../../util/privateFiles';
import { DeactivationError } from '../types';
import { acquireLock, type HeldLock } from './lockFile';
import { parseRecord, type JournalRecord } from './records';
import type { JournalSession, RunJournal } from './types';

const OWNER = 'FileRunJournal';

/** Sub-directory of the data directory that holds the journals. */
export const JOURNAL_SUBDIR = 'deactivation';

export interface FileRunJournalOptions {
  /**
   * The service's data directory (proposed env var ENRICHER_DATA_DIR).
   * Journals go to `<dataDir>/deactivation/<userId>.jsonl`, locks beside them
   * as `<userId>.lock`; the sub-directory is created (mode 0700) on first use.
   * Required. Service and CLI must point at the same directory.
   */
  readonly dataDir: string;
  /** Process id written into locks. Default process.pid (tests pass a dead pid to leave a "crashed" lock). */
  readonly pid?: number;
  /** Host name written into locks; locks of another host are never broken. Default os.hostname(). */
  readonly hostname?: string;
  /** Clock for lock timestamps, milliseconds. Default Date.now. */
  readonly now?: () => number;
  /** Whether a local process is alive. Default `process.kill(pid, 0)`. */
  readonly isAlive?: (pid: number) => boolean;
  /** Gets a warning when the journal directory or a journal file is readable by other users. Default silent. */
  readonly logger?: Logger;
}

/**
 * The durable RunJournal: one append-only JSON-lines file per user, each
 * record fsynced before `append` resolves, and an exclusive lock file per
 * user that works across processes (the service and the CLI). Lines a crash
 * tore are skipped on reading, and the next append starts on a fresh line.
 * Files are created mode 0600 in 0700 directories (they hold the user's name
 * and assignments) and never opened through a symbolic link (util/privateFiles).
 */
export class FileRunJournal implements RunJournal {
  readonly #dir: string;
  readonly #pid: number;
  readonly #hostname: string;
  readonly #now: () => number;
  readonly #isAlive: ((pid: number) => boolean) | undefined;
  readonly #dataDir: string;
  readonly #files: PrivateFiles;

  constructor(options: FileRunJournalOptions) {
    requiredOption(OWNER, 'options', options);
    this.#dataDir = stringOption(OWNER, 'dataDir', options.dataDir);
    this.#dir = join(this.#dataDir, JOURNAL_SUBDIR);
    this.#files = new PrivateFiles((options.logger ?? silentLogger()).child({ component: 'deactivation/journal' }));
    this.#pid = intOption(OWNER, 'pid', options.pid, process.pid);
    this.#hostname = options.hostname === undefined ? osHostname() : stringOption(OWNER, 'hostname', options.hostname);
    this.#now = functionOption<() => number>(OWNER, 'now', options.now, Date.now);
    this.#isAlive = options.isAlive === undefined ? undefined : functionOption<(pid: number) => boolean>(OWNER, 'isAlive', options.isAlive, () => true);
  }

  /** The journal file of a user. */
  pathOf(userId: string): string {
    return join(this.#dir, `${checkedId(userId)}.jsonl`);
  }

  /** The lock file of a user. */
  lockPathOf(userId: string): string {
    return join(this.#dir, `${checkedId(userId)}.lock`);
  }

  async open(userId: string): Promise<JournalSession> {
    const path = this.pathOf(userId);
    const lockPath = this.lockPathOf(userId);
    let lock: HeldLock;
    try {
      await this.#files.ensureDir(this.#dataDir);
      await this.#files.ensureDir(this.#dir, true);
      const acquired = await acquireLock(lockPath, { pid: this.#pid, hostname: this.#hostname, now: this.#now, isAlive: this.#isAlive, files: this.#files });
      if ('busy' in acquired) {
        const by = acquired.holder ? ` (pid ${acquired.holder.pid} on ${acquired.holder.hostname} since ${acquired.holder.at})` : '';
        throw new DeactivationError('run_in_progress', `another run for user ${userId} is in progress${by}; lock file ${lockPath}`);
      }
      lock = acquired;
    } catch (err) {
      throw asJournalError(err, 'could not lock the journal');
    }
    try {
      const { records, endsWithNewline } = await readJournal(path, this.#files);
      return new FileJournalSession(path, this.#dir, records, endsWithNewline, lock, this.#files);
    } catch (err) {
      await lock.release().catch(() => undefined);
      throw asJournalError(err, 'could not read the journal');
    }
  }

  async read(userId: string): Promise<readonly JournalRecord[]> {
    try {
      return (await readJournal(this.pathOf(userId), this.#files)).records;
    } catch (err) {
      throw asJournalError(err, 'could not read the journal');
    }
  }

  /** Users with a journal file: the canonical ids among `<dataDir>/deactivation/*.jsonl`. */
  async users(): Promise<readonly string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.#dir);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return [];
      throw asJournalError(err, 'could not list the journals');
    }
    return names.flatMap((name) => {
      const id = name.endsWith('.jsonl') ? normalizeUserId(name.slice(0, -'.jsonl'.length)) : undefined;
      return id !== undefined && `${id}.jsonl` === name ? [id] : [];
    });
  }
}

class FileJournalSession implements JournalSession {
  #file: fs.FileHandle | undefined;
  #closed = false;

  constructor(
    private readonly path: string,
    private readonly dir: string,
    readonly records: readonly JournalRecord[],
    private endsWithNewline: boolean,
    private readonly lock: HeldLock,
    private readonly files: PrivateFiles,
  ) {}

  async append(record: JournalRecord): Promise<void> {
    if (this.#closed) throw new DeactivationError('journal_error', 'the journal session is closed');
    try {
      const file = await this.#handle();
      // After a torn last line, start afresh so this record is not glued to it.
      const prefix = this.endsWithNewline ? '' : '\n';
      await file.write(`${prefix}${JSON.stringify(record)}\n`);
      this.endsWithNewline = true;
      await file.sync();
    } catch (err) {
      throw asJournalError(err, 'could not write the journal');
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#file?.close();
    } finally {
      await this.lock.release();
    }
  }

  async #handle(): Promise<fs.FileHandle> {
    if (this.#file) return this.#file;
    const existed = await fs.lstat(this.path).then(() => true, () => false);
    this.#file = await this.files.open(this.path, 'append');
    // A new file's directory entry must be durable too, or a crash could lose the whole journal.
    if (!existed) await syncDirectory(this.dir);
    return this.#file;
  }
}

async function readJournal(path: string, files: PrivateFiles): Promise<{ records: JournalRecord[]; endsWithNewline: boolean }> {
  let text: string;
  try {
    text = (await files.readFile(path)).toString('utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { records: [], endsWithNewline: true };
    throw err;
  }
  const records = text.split('\n').flatMap((line) => {
    const record = line.trim() === '' ? undefined : parseRecord(line);
    return record ? [record] : [];
  });
  return { records, endsWithNewline: text === '' || text.endsWith('\n') };
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the file's own fsync still holds.
  } finally {
    await handle.close();
  }
}

// Only canonical ids become file names: nothing else can reach the file system through this path.
function checkedId(userId: string): string {
  const id = normalizeUserId(userId);
  if (id === undefined) throw new DeactivationError('invalid_user_id', 'not a Genesys user id');
  return id;
}

function asJournalError(err: unknown, what: string): DeactivationError {
  if (err instanceof DeactivationError) return err;
  if (err instanceof UnsafePathError) return new DeactivationError('journal_error', `${what}: ${err.message}`);
  const code = typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined;
  return new DeactivationError('journal_error', `${what}${code ? ` (${code})` : ''}`);
}
