import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CONFIGURATION_DOC, renderConfigurationDoc } from '../../src/config/configurationDoc';
import { FILE_KEYS } from '../../src/config/fileKeys';

const ROOT = path.resolve(__dirname, '../../..');
const example = readFileSync(path.join(ROOT, 'otel-config/enricher.example.yaml'), 'utf8');
const committed = readFileSync(path.join(ROOT, CONFIGURATION_DOC), 'utf8');

describe('docs/configuration.md', () => {
  it('is exactly what `npm run docs:config` generates from src/config/fileKeys.ts (run it after adding a setting)', () => {
    assert.ok(committed === renderConfigurationDoc(example), `${CONFIGURATION_DOC} is out of date: run npm run docs:config and commit the result`);
  });

  it('documents every setting with its YAML key, variable, a meaning and a default', () => {
    for (const key of FILE_KEYS) {
      const row = committed.split('\n').find((l) => l.startsWith(`| \`${key.path}\` | \`${key.env}\``));
      assert.ok(row, `${key.path} has a row`);
      const [, , , meaning, def] = row.split(/(?<!\\)\|/).map((c) => c.trim());
      assert.ok(meaning, `${key.env} has a meaning`);
      assert.ok(def, `${key.env} has a default`);
      if (key.secret) assert.match(row, /\(secret\)/);
    }
  });

  it('the script checks as the test does: --check exits 0 on the committed file', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/scripts/docs-config.js'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
