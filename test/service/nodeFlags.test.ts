import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingNodeFlags, SERVICE_NODE_FLAGS } from '../../src/service/nodeFlags';

describe('the Node.js flags the service is tuned for', () => {
  it('sizes the young generation above V8 default of 16 MiB per semi-space', () => {
    const semi = SERVICE_NODE_FLAGS.find((f) => f.startsWith('--max-semi-space-size='));
    assert.ok(semi, 'a --max-semi-space-size flag');
    assert.ok(Number(semi.split('=')[1]) > 16);
  });

  it('are all missing from a bare `node main.js`', () => {
    assert.deepEqual(missingNodeFlags([], undefined), [...SERVICE_NODE_FLAGS]);
    assert.deepEqual(missingNodeFlags(['--enable-source-maps'], ''), [...SERVICE_NODE_FLAGS]);
  });

  it('count as given on the command line or in NODE_OPTIONS, in any value and either spelling', () => {
    assert.deepEqual(missingNodeFlags([...SERVICE_NODE_FLAGS], undefined), []);
    assert.deepEqual(missingNodeFlags([], `--inspect ${SERVICE_NODE_FLAGS.join(' ')}`), []);
    assert.deepEqual(missingNodeFlags(['--max-semi-space-size=16'], undefined), [], 'an operator choosing 16 is not warned');
    assert.deepEqual(missingNodeFlags(['--max_semi_space_size=64'], undefined), []);
  });

  it('do not take a longer flag that starts the same for the flag', () => {
    assert.deepEqual(missingNodeFlags(['--max-semi-space-size-extra=8'], '--min-semi-space-size=8'), [...SERVICE_NODE_FLAGS]);
  });
});
