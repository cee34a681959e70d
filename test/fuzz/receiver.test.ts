import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzReceiver } from './receiverFuzz';

describe('the service under fuzzed OTLP/gRPC input (bounded; `npm run fuzz` runs many more)', () => {
  it('answers every request OK or INVALID_ARGUMENT, keeps serving, and delivers everything it accepted', async () => {
    const r = await fuzzReceiver({ cases: 300, seed: 20261129 });
    assert.ok(r.accepted > 20 && r.rejected > 20, `the mutations should exercise both paths: ${JSON.stringify(r)}`);
  });
});
