/**
 * Chaos, out of process: `serve` with the persistent queue as a child process,
 * through kill -9 and SIGTERM while the backend is down, restarted each time on
 * the same queue directory. Every span acknowledged to the client arrives;
 * duplicates are allowed, losses are not.
 */
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startSimulator, type Simulator } from '../../src/simulator/index';
import { tempDir } from '../exporter/queue/persistent/support';
import { type RawClient, rawClient } from '../helpers/rawGrpcClient';
import { serviceEnv } from '../helpers/serviceEnv';
import { ChaosSink } from './support/chaosSink';
import { type ServeProcess, startServe } from './support/serveProcess';
import { type KnownRequest, idsOf, knownRequests, sendAcknowledged } from './support/traffic';

const SPANS_PER_REQUEST = 10;
const FLAKY = 0.7;
const DOWN = 1;

describe('chaos: the persistent queue across kill -9 and SIGTERM', () => {
  let sim: Simulator;
  let sink: ChaosSink;
  let dir: string;
  let removeDir: () => Promise<void>;
  const children: ServeProcess[] = [];
  const clients: RawClient[] = [];

  before(async () => {
    sim = await startSimulator();
    sink = await ChaosSink.start({ failureRatio: DOWN, seed: 0x9e11 });
    ({ dir, cleanup: removeDir } = await tempDir());
  });

  after(async () => {
    for (const c of clients) c.close();
    for (const c of children) c.child.kill('SIGKILL');
    await sink?.close();
    await sim?.close();
    await removeDir?.();
  });

  /** `serve` on the shared queue directory, backed by the chaos sink. */
  async function serve(extra: Record<string, string> = {}): Promise<{ proc: ServeProcess; client: RawClient }> {
    const proc = await startServe({
      ...serviceEnv(sim, sink.endpoint),
      ENRICHER_OTLP_HTTP_ADDRESS: 'off', // not under test here
      ENRICHER_EXPORT_QUEUE_DIR: dir,
      ENRICHER_EXPORT_RETRY_INITIAL_MS: '10',
      ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS: '100',
      ENRICHER_EXPORT_RETRY_MAX_ELAPSED_MS: '600000',
      ENRICHER_SHUTDOWN_GRACE_MS: '2000',
      ...extra,
    });
    children.push(proc);
    const client = rawClient(proc.grpcPort);
    clients.push(client);
    return { proc, client };
  }

  /** Sends `racing` while killing the process after `killAfter` acknowledgements; resolves with those acknowledged. */
  async function sendThenKill(proc: ServeProcess, client: RawClient, racing: KnownRequest[], killAfter: number): Promise<KnownRequest[]> {
    const answers = new EventEmitter();
    const acked: KnownRequest[] = [];
    let answered = 0;
    const outcomes = racing.map((r) =>
      client.export(r.bytes, { timeoutMs: 5_000 }).then((o) => {
        if (o.code === grpc.status.OK) acked.push(r);
        answered++;
        answers.emit('answer');
      }),
    );
    while (acked.length < killAfter && answered < racing.length) await once(answers, 'answer');
    assert.ok(acked.length >= killAfter, `only ${acked.length} of ${racing.length} racing requests were acknowledged`);
    proc.child.kill('SIGKILL');
    assert.equal(await proc.exited, null, 'killed, not exited');
    await Promise.all(outcomes);
    return acked;
  }

  it('loses no acknowledged span through kill -9, SIGTERM and restarts', async () => {
    // 1. Backend down: an acknowledgement can only mean "on disk". Then kill -9,
    //    with more requests racing the kill.
    const first = await serve();
    const steady = knownRequests(30, SPANS_PER_REQUEST, 5_000);
    await sendAcknowledged(first.client, steady, { concurrency: 4 });
    const racing = knownRequests(30, SPANS_PER_REQUEST, 6_000);
    const ackedRacing = await sendThenKill(first.proc, first.client, racing, 5);
    const acked = idsOf([...steady, ...ackedRacing]);
    assert.equal(sink.failedCalls, sink.calls, 'nothing was delivered before the kill');

    // 2. Restart with the backend up but failing 70% of calls: everything acknowledged arrives.
    sink.failureRatio = FLAKY;
    const second = await serve({ ENRICHER_SHUTDOWN_GRACE_MS: '300' });
    await sink.waitForSpanIds(acked, 20_000);
    const sent = idsOf([...steady, ...racing]);
    assert.deepEqual([...sink.spanIds].filter((id) => !sent.has(id)), [], 'nothing but what was sent');
    const opened = second.proc.logs().find((r) => typeof r.replayedBatches === 'number');
    assert.ok(Number(opened?.replayedBatches) >= steady.length + ackedRacing.length, `replayed ${opened?.replayedBatches} batches`);

    // 3. Backend down again; SIGTERM: the service stops accepting, gives up after the
    //    grace period with the rest kept on disk, and exits 0.
    sink.failureRatio = DOWN;
    const late = knownRequests(20, SPANS_PER_REQUEST, 7_000);
    await sendAcknowledged(second.client, late, { concurrency: 4 });
    const stoppingAt = Date.now();
    second.proc.child.kill('SIGTERM');
    assert.equal(await second.proc.exited, 0, second.proc.output());
    assert.ok(Date.now() - stoppingAt < 3_000, `exited ${Date.now() - stoppingAt} ms after SIGTERM, grace 300 ms`);
    const summary = second.proc.logs().find((r) => /stays? in the persistent queue/.test(String(r.msg)));
    assert.ok(summary, `shutdown reports what stays on disk\n${second.proc.output()}`);
    // At least the late batches; replayed ones still being retried stay too.
    assert.ok(Number(summary.leftBatches) >= late.length, `left ${summary.leftBatches} batches on disk`);

    // 4. Restart with a flaky backend: the rest arrives, and a clean SIGTERM drains.
    sink.failureRatio = FLAKY;
    const third = await serve();
    await sink.waitForSpanIds(idsOf([...steady, ...ackedRacing, ...late]), 20_000);
    third.proc.child.kill('SIGTERM');
    assert.equal(await third.proc.exited, 0, third.proc.output());
    assert.ok(third.proc.logs().some((r) => r.msg === 'sending queue drained'), third.proc.output());
  });
});
