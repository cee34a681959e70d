import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimedBulkLookup } from '../../../src/directory/lookup/timedBulkLookup';
import { Histogram } from '../../../src/telemetry/metricsHistogram';
import { fakeClock } from '../support/directoryFixtures';

describe('TimedBulkLookup', () => {
  it('observes the duration of each bulk call in seconds, failed or not, and passes the answer on', async () => {
    const clock = fakeClock();
    const histogram = new Histogram([0.1, 1]);
    let fail = false;
    const timed = new TimedBulkLookup({
      lookup: {
        lookupMany: async (ids) => {
          clock.advance(fail ? 2_500 : 40);
          if (fail) throw new Error('lookupMany broke its contract');
          return new Map(ids.map((id) => [id, { status: 'not_found' as const }]));
        },
      },
      observer: histogram,
      now: clock.now,
    });

    assert.deepEqual([...(await timed.lookupMany(['a'])).keys()], ['a']);
    fail = true;
    await assert.rejects(timed.lookupMany(['b']), /broke its contract/);

    assert.deepEqual(histogram.snapshot(), { buckets: [{ le: 0.1, count: 1 }, { le: 1, count: 1 }], sum: 2.54, count: 2 });
  });

  it('rejects missing options', () => {
    assert.throws(() => new TimedBulkLookup({ lookup: undefined as never, observer: new Histogram([1]) }), /lookup/);
  });
});
