import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PrivateFiles, UnsafePathError } from '../../src/util/privateFiles';
import { recordingLogger } from '../exporter/queue/fakes';
import { cleanupAfterEach } from '../exporter/queue/persistent/support';

const { freshDir } = cleanupAfterEach();

function privateFiles() {
  const { logger, records } = recordingLogger();
  return { files: new PrivateFiles(logger), warnings: () => records.filter((r) => r.level === 40) };
}

async function refused(promise: Promise<unknown>, code: 'ELOOP' | 'EFTYPE', file: string): Promise<void> {
  const err = await promise.then(() => assert.fail('expected a refusal'), (e: unknown) => e);
  assert.ok(err instanceof UnsafePathError, String(err));
  assert.equal(err.code, code);
  assert.ok(err.message.includes(file), err.message);
}

describe('PrivateFiles', () => {
  it('creates files 0600 and directories 0700', async () => {
    const root = await freshDir();
    const { files } = privateFiles();
    const dir = path.join(root, 'a', 'b');
    await files.ensureDir(dir);
    const handle = await files.open(path.join(dir, 'f'), 'append');
    await handle.close();
    assert.equal((await stat(path.join(root, 'a'))).mode & 0o777, 0o700);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(path.join(dir, 'f'))).mode & 0o777, 0o600);
  });

  it('refuses a symbolic link for every kind of open and leaves its target alone', async () => {
    const dir = await freshDir();
    const target = path.join(dir, 'target');
    await writeFile(target, 'keep');
    const link = path.join(dir, 'link');
    await symlink(target, link);
    const { files } = privateFiles();
    for (const mode of ['read', 'readwrite', 'append'] as const) await refused(files.open(link, mode), 'ELOOP', link);
    await refused(files.readFile(link), 'ELOOP', link);
    assert.equal(await readFile(target, 'utf8'), 'keep');
  });

  it('refuses a FIFO or a directory where a file should be, without blocking', async () => {
    const dir = await freshDir();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const { files } = privateFiles();
    await refused(files.open(fifo, 'read'), 'EFTYPE', fifo);
    await mkdir(path.join(dir, 'sub'));
    await assert.rejects(files.open(path.join(dir, 'sub'), 'read'), UnsafePathError);
  });

  it('accepts a configured directory that is a link, but not a sub-directory of its own that is', async () => {
    const root = await freshDir();
    await mkdir(path.join(root, 'real'), { mode: 0o700 });
    await symlink(path.join(root, 'real'), path.join(root, 'configured'));
    const { files } = privateFiles();
    await files.ensureDir(path.join(root, 'configured'));
    await refused(files.ensureDir(path.join(root, 'configured'), true), 'ELOOP', path.join(root, 'configured'));
  });

  it('warns once about a loose directory and once about the loose files in it, naming the path, and changes nothing', async () => {
    const dir = await freshDir();
    await chmod(dir, 0o755);
    for (const name of ['one', 'two']) await writeFile(path.join(dir, name), name, { mode: 0o644 });
    const { files, warnings } = privateFiles();
    await files.ensureDir(dir);
    await files.ensureDir(dir);
    for (const name of ['one', 'two', 'one']) await (await files.open(path.join(dir, name), 'read')).close();
    assert.deepEqual(warnings().map((w) => [w.path, w.mode]), [[dir, '0755'], [path.join(dir, 'one'), '0644']]);
    assert.equal((await stat(path.join(dir, 'one'))).mode & 0o777, 0o644);
  });
});
