import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVICE_NODE_FLAGS } from '../../src/service/nodeFlags';
import { readRepoFile } from './support/repoFiles';

const scripts = (JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> }).scripts;

describe('package.json scripts', () => {
  it('npm start builds, then runs serve with the Node.js flags the service is tuned for', () => {
    const [build, run] = scripts.start!.split('&&').map((part) => part.trim());
    assert.equal(build, 'tsc -p tsconfig.json');
    assert.deepEqual(run!.split(/\s+/), ['node', ...SERVICE_NODE_FLAGS, 'dist/src/cli/main.js', 'serve']);
  });
});
