import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { configFromEnv } from '../../src/config/env';
import { directoriesToWrite, unwritableDirectories } from '../../src/config/writableDirs';

const dir = mkdtempSync(path.join(tmpdir(), 'writable-dirs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the directories a command will write', () => {
  it('are the queue directory when set, and the journal only when deactivations can run', () => {
    const config = configFromEnv({ ENRICHER_EXPORT_QUEUE_DIR: '/q', ENRICHER_DATA_DIR: '/j' });
    assert.deepEqual(directoriesToWrite(config, { deactivation: false, exportQueue: true }).map((d) => d.dir), ['/q']);
    assert.deepEqual(directoriesToWrite(config, { deactivation: true, exportQueue: false }).map((d) => d.dir), ['/j']);
    assert.deepEqual(directoriesToWrite(configFromEnv({}), { deactivation: false, exportQueue: true }), []);
  });

  it('are created when missing, level by level, and left without the probe file', () => {
    const target = path.join(dir, 'a', 'b', 'c');
    assert.deepEqual(unwritableDirectories([{ setting: 'ENRICHER_DATA_DIR', dir: target, purpose: 'the journal' }]), []);
    assert.ok(existsSync(target));
    assert.deepEqual(readdirSync(target), []);
  });

  it('name the setting, the path as given and resolved, and the errno when they cannot be made', () => {
    writeFileSync(path.join(dir, 'file'), '');
    const [problem] = unwritableDirectories([{ setting: 'ENRICHER_DATA_DIR (deactivation.data_dir)', dir: path.relative(process.cwd(), path.join(dir, 'file', 'journal')), purpose: 'the deactivation journal' }]);
    assert.equal(problem?.key, 'ENRICHER_DATA_DIR (deactivation.data_dir)');
    assert.match(problem!.message, /^".*file\/journal" \(\/.*file\/journal\) is not a writable directory \(ENOTDIR\), and the deactivation journal is kept there/);
  });

  it('answer at once for a path under /proc, where a recursive mkdir never returns', { skip: !existsSync('/proc/self') }, () => {
    const [problem] = unwritableDirectories([{ setting: 'ENRICHER_EXPORT_QUEUE_DIR', dir: '/proc/no-such-dir/queue', purpose: 'the queue' }]);
    assert.match(problem!.message, /\(ENOENT\)/);
  });
});
