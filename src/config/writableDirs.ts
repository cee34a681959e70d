import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfigProblem } from './errors';
import type { Config } from './types';

/** A directory the service will write, and the setting that names it. */
export interface DirectoryToWrite {
  /** Variable (and YAML key) a user changes to move it. */
  readonly setting: string;
  readonly dir: string;
  /** What needs it, for the message. */
  readonly purpose: string;
}

/** What the command about to run will use. */
export interface DirectoryNeeds {
  /** Deactivations can run: the admin routes are enabled (a token is set) or a CLI run. */
  readonly deactivation: boolean;
  /** Spans are exported (the service; not the deactivation CLI). */
  readonly exportQueue: boolean;
}

/**
 * The directories a command will write: the persistent sending queue's when it
 * is configured, the deactivation journal's when deactivations can run. A
 * service whose admin routes are disabled never writes the journal, so an
 * unwritable ENRICHER_DATA_DIR does not stop it.
 */
export function directoriesToWrite(config: Config, needs: DirectoryNeeds): DirectoryToWrite[] {
  const dirs: DirectoryToWrite[] = [];
  if (needs.exportQueue && config.export.queueDir !== undefined) {
    dirs.push({ setting: 'ENRICHER_EXPORT_QUEUE_DIR (exporter.sending_queue.directory)', dir: config.export.queueDir, purpose: 'the persistent sending queue' });
  }
  if (needs.deactivation) {
    dirs.push({ setting: 'ENRICHER_DATA_DIR (deactivation.data_dir)', dir: config.deactivation.dataDir, purpose: 'the deactivation journal' });
  }
  return dirs;
}

/**
 * Checks each directory the way it will be used: created if missing, then a
 * file written and removed in it. `access(W_OK)` would not do: it answers for
 * the real user, and says nothing of a full or read-only volume's quirks.
 * Every problem names the setting, the path as given and as resolved, and why.
 */
export function unwritableDirectories(dirs: readonly DirectoryToWrite[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const { setting, dir, purpose } of dirs) {
    const resolved = path.resolve(dir);
    const where = resolved === dir ? `"${dir}"` : `"${dir}" (${resolved})`;
    try {
      makeDirectory(resolved);
      const probe = path.join(resolved, `.write-check-${process.pid}`);
      writeFileSync(probe, '', { flag: 'wx' });
      rmSync(probe, { force: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      problems.push({
        key: setting,
        message: `${where} is not a writable directory (${code}), and ${purpose} is kept there; ` +
          `point the setting at a directory this user (uid ${process.getuid?.() ?? '?'}) can write, such as a volume`,
      });
    }
  }
  return problems;
}

/**
 * `mkdir -p`, one level at a time from the nearest existing ancestor. Node's
 * own `recursive: true` never returns for some paths (under /proc it loops on
 * ENOENT), which would hang the start-up it is meant to protect.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      if (!statSync(at).isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) throw err;
      missing.unshift(at);
      at = path.dirname(at);
    }
  }
  for (const level of missing) mkdirSync(level, { mode: 0o700 });
}
