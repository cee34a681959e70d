import { open, readFile, unlink, writeFile } from 'node:fs/promises';
import { inDir } from './files';

const LOCK_FILE = 'queue.lock';

/**
 * Claims the queue directory for this process with a queue.lock file holding the
 * pid: two processes appending to the same segments would corrupt them. A lock
 * left by a process that no longer exists (kill -9) is taken over; so is one
 * with our own pid (a container restarted as pid 1 again). Resolves with the release.
 */
export async function lockDir(dir: string): Promise<() => Promise<void>> {
  const file = inDir(dir, LOCK_FILE);
  const mine = String(process.pid);
  try {
    const handle = await open(file, 'wx');
    await handle.writeFile(mine);
    await handle.close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number((await readFile(file, 'utf8')).trim());
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new Error(`persistent queue directory ${dir} is in use by process ${holder} (delete ${file} if that process is not an enricher)`);
    }
    await writeFile(file, mine);
  }
  return async () => {
    const holder = await readFile(file, 'utf8').catch(() => '');
    if (holder.trim() === mine) await unlink(file).catch(() => undefined);
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
