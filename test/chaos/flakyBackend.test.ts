/**
 * Chaos, in-process: the whole service (simulator, receiver, enrichment,
 * sending queue, OTLP exporter) in front of a backend that fails 70% of its
 * calls with UNAVAILABLE. Every span acknowledged to the client arrives;
 * duplicates are allowed, losses and strangers are not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../helpers/enricherHarness';
import { rawClient } from '../helpers/rawGrpcClient';
import { ChaosSink } from './support/chaosSink';
import { idsOf, knownRequests, sendAcknowledged } from './support/traffic';

const REQUESTS = 100;
const SPANS_PER_REQUEST = 10;

describe('chaos: a backend failing 70% of calls', () => {
  let sink: ChaosSink;
  let harness: Harness;

  before(async () => {
    sink = await ChaosSink.start({ failureRatio: 0.7, seed: 0xc4a05 });
    harness = await startHarness({
      env: {
        ENRICHER_EXPORT_OTLP_ENDPOINT: sink.endpoint,
        ENRICHER_EXPORT_RETRY_INITIAL_MS: '5',
        ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS: '40',
        ENRICHER_EXPORT_RETRY_MAX_ELAPSED_MS: '60000',
        ENRICHER_EXPORT_CONCURRENCY: '8',
      },
    });
  });

  after(async () => {
    await harness?.close();
    await sink?.close();
  });

  it('delivers every acknowledged span id, and nothing else', async () => {
    const requests = knownRequests(REQUESTS, SPANS_PER_REQUEST, 1000);
    const sent = idsOf(requests);
    assert.equal(sent.size, REQUESTS * SPANS_PER_REQUEST, 'fixture span ids are distinct');
    const client = rawClient(harness.service.grpcPort);
    try {
      await sendAcknowledged(client, requests, { concurrency: 8 });
    } finally {
      client.close();
    }

    await sink.waitForSpanIds(sent, 20_000);

    assert.deepEqual(sink.spanIds, sent, 'received span ids = sent span ids');
    const failedShare = sink.failedCalls / sink.calls;
    assert.ok(failedShare > 0.6 && failedShare < 0.8, `the backend failed ${(failedShare * 100).toFixed(0)}% of ${sink.calls} calls`);
    assert.ok(sink.acceptedSpans >= sent.size);
  });
});
