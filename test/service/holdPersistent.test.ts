/**
 * Held batches and the persistent queue: a held request is on disk before the
 * client is answered; after kill -9 of `serve` while it is held, the restarted
 * process looks its users up again and delivers it enriched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startSimulator, type Simulator } from '../../src/simulator/index';
import { type ServeProcess, startServe } from '../chaos/support/serveProcess';
import { tempDir } from '../exporter/queue/persistent/support';
import { GrpcSink } from '../helpers/grpcSink';
import { kvString } from '../helpers/otlpWire';
import { type RawClient, rawClient } from '../helpers/rawGrpcClient';
import { serviceEnv } from '../helpers/serviceEnv';
import { requestOf, spanBody } from '../telemetry/support/wireSpans';

describe('held batches with the persistent queue', () => {
  let sim: Simulator;
  let sink: GrpcSink;
  let dir: string;
  let removeDir: () => Promise<void>;
  const children: ServeProcess[] = [];
  const clients: RawClient[] = [];

  before(async () => {
    sim = await startSimulator();
    sink = await GrpcSink.start();
    ({ dir, cleanup: removeDir } = await tempDir());
  });

  after(async () => {
    for (const c of clients) c.close();
    for (const c of children) c.child.kill('SIGKILL');
    await sink?.close();
    await sim?.close();
    await removeDir?.();
  });

  async function serve(): Promise<{ proc: ServeProcess; client: RawClient }> {
    const proc = await startServe({
      ...serviceEnv(sim, sink.endpoint),
      ENRICHER_OTLP_HTTP_ADDRESS: 'off',
      ENRICHER_EXPORT_QUEUE_DIR: dir,
      ENRICHER_LOOKUP_BUDGET_MS: '150',
      ENRICHER_SHUTDOWN_GRACE_MS: '2000',
    });
    children.push(proc);
    const client = rawClient(proc.grpcPort);
    clients.push(client);
    return { proc, client };
  }

  it('delivers every acknowledged span enriched after kill -9 while its batch was held', async () => {
    // Genesys throttles every call for 30 s: look-ups cannot finish before the kill.
    sim.faults.rateLimitEvery = { every: 1, retryAfterSeconds: 30 };
    const { proc, client } = await serve();
    const users = [...sim.org.active.slice(0, 6), ...sim.org.inactive.slice(0, 2), ...sim.org.deleted.slice(0, 2)];
    for (let i = 0; i < users.length; i++) {
      const outcome = await client.export(requestOf(spanBody(`held-${i}`, kvString('external.user.id', users[i]!))));
      assert.equal(outcome.code, grpc.status.OK, 'acknowledged while its look-up is throttled');
    }
    assert.ok(sim.stats().byStatus['429']! >= 1, 'Genesys throttled the look-ups');
    assert.equal(sink.spans().length, 0, 'held: nothing forwarded yet');
    proc.child.kill('SIGKILL');
    await proc.exited;

    sim.faults.rateLimitEvery = undefined;
    await serve();
    const spans = await sink.waitForSpans(users.length, 20_000);
    for (const span of spans) {
      const user = sim.getUser(String(span.attributes['external.user.id']))!;
      assert.equal(span.attributes['user.full_name'], user.name, `${span.name} enriched after the restart`);
      assert.equal(span.attributes['genesys.user.state'], user.state);
    }
    assert.deepEqual(spans.map((s) => s.name).sort(), users.map((_, i) => `held-${i}`).sort(), 'every acknowledged span, once');
  });
});
