/**
 * The log line for spans that leave without a name: never one per span or per
 * batch; at most one per 10 s, with the counts by cause since the last one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnresolvedLog } from '../../../src/processor/enrich/unresolvedLog';
import { recordingLogger } from '../../exporter/queue/fakes';

describe('UnresolvedLog', () => {
  it('logs the first release at once, then sums the next ones into one line per interval', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { logger, records } = recordingLogger();
    const log = new UnresolvedLog(logger);

    log.add('hold_expired', 5);
    for (let i = 0; i < 100; i++) log.add('overflow', 2);
    log.add('breaker_open', 1);

    assert.equal(records.length, 1, 'one line for the first, none per batch after it');
    assert.deepEqual(records[0]!.spansByCause, { hold_expired: 5 });
    t.mock.timers.tick(10_000);
    assert.equal(records.length, 2);
    assert.deepEqual([records[1]!.batches, records[1]!.spansByCause], [101, { overflow: 200, breaker_open: 1 }]);
    assert.equal(records[1]!.level, 40, 'a warning');
  });
});
