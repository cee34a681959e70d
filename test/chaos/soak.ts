/**
 * The long chaos run, outside `npm test`: `serve` with the persistent queue is
 * killed with SIGKILL at seeded random moments while clients keep sending to
 * it and the backend fails most calls; after the last cycle the backend heals
 * and every acknowledged span id must arrive. Prints figures to compare.
 *
 *   npx tsc -p tsconfig.json && node dist/test/chaos/soak.js
 *   CHAOS_CYCLES=50 CHAOS_SEED=7 CHAOS_FAILURE_RATIO=0.9 node dist/test/chaos/soak.js
 *
 * Exits 1 (naming how many spans are missing) when a span is lost.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { startSimulator } from '../../src/simulator/index';
import { mulberry32 } from '../helpers/otlpFixtures';
import { rawClient } from '../helpers/rawGrpcClient';
import { serviceEnv } from '../helpers/serviceEnv';
import { ChaosSink } from './support/chaosSink';
import { type ServeProcess, startServe } from './support/serveProcess';
import { type KnownRequest, idsOf, knownRequests } from './support/traffic';

const CYCLES = Number(process.env.CHAOS_CYCLES ?? 10);
const SEED = Number(process.env.CHAOS_SEED ?? 1);
const FAILURE_RATIO = Number(process.env.CHAOS_FAILURE_RATIO ?? 0.7);
const REQUESTS_PER_CYCLE = 200;
const CLIENTS = 8;

async function main(): Promise<number> {
  const random = mulberry32(SEED);
  const sim = await startSimulator();
  const sink = await ChaosSink.start({ failureRatio: FAILURE_RATIO, seed: SEED });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'enricher-soak-'));
  const acked: KnownRequest[] = [];
  const started = Date.now();
  let proc: ServeProcess | undefined;
  const serve = () =>
    startServe({
      ...serviceEnv(sim, sink.endpoint),
      ENRICHER_OTLP_HTTP_ADDRESS: 'off', // not under test here
      ENRICHER_EXPORT_QUEUE_DIR: dir,
      ENRICHER_EXPORT_RETRY_INITIAL_MS: '10',
      ENRICHER_EXPORT_RETRY_MAX_INTERVAL_MS: '200',
      ENRICHER_EXPORT_RETRY_MAX_ELAPSED_MS: '3600000',
    });
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      proc = await serve();
      const client = rawClient(proc.grpcPort);
      const requests = knownRequests(REQUESTS_PER_CYCLE, 10, 100_000 + cycle * REQUESTS_PER_CYCLE);
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const request = requests[next++];
          const outcome = await client.export(request.bytes, { timeoutMs: 5_000 });
          if (outcome.code === grpc.status.OK) acked.push(request);
        }
      };
      const sending = Promise.all(Array.from({ length: CLIENTS }, worker));
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(random() * 1_500)));
      proc.child.kill('SIGKILL');
      await proc.exited;
      await sending;
      client.close();
      process.stdout.write(`cycle ${cycle + 1}/${CYCLES}: ${acked.length} requests acknowledged so far, ${sink.spanIds.size} distinct spans received\n`);
    }
    sink.failureRatio = 0;
    proc = await serve();
    const expected = idsOf(acked);
    await sink.waitForSpanIds(expected, 120_000).catch(() => undefined);
    const missing = sink.missing(expected).length;
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      [
        `cycles ${CYCLES}, seed ${SEED}, backend failure ratio ${FAILURE_RATIO}, ${seconds.toFixed(1)} s`,
        `acknowledged spans ${expected.size}, received distinct ${sink.spanIds.size}, received in all ${sink.acceptedSpans} (${(sink.acceptedSpans / Math.max(1, sink.spanIds.size)).toFixed(2)}x: duplicates)`,
        `backend calls ${sink.calls}, failed ${sink.failedCalls}`,
        missing === 0 ? 'OK: no acknowledged span lost' : `LOST: ${missing} acknowledged spans never arrived`,
      ].join('\n') + '\n',
    );
    return missing === 0 ? 0 : 1;
  } finally {
    proc?.child.kill('SIGTERM');
    await proc?.exited;
    await sink.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
