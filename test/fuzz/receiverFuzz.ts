/**
 * Fuzzing the whole service through its gRPC receiver: random bytes and
 * mutations of valid requests. Every answer must be OK or INVALID_ARGUMENT,
 * the service must keep serving, and every accepted request must reach the
 * backend. Shared by the bounded test in `npm test` and `npm run fuzz`.
 */
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startHarness } from '../helpers/enricherHarness';
import { mutate } from '../helpers/mutate';
import { encodeRequest, mulberry32, randomTraceRequest } from '../helpers/otlpFixtures';
import { rawClient } from '../helpers/rawGrpcClient';

export interface ReceiverFuzzResult {
  readonly cases: number;
  readonly accepted: number;
  readonly rejected: number;
}

export async function fuzzReceiver(options: { cases: number; seed: number }): Promise<ReceiverFuzzResult> {
  const h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '50' } });
  const raw = rawClient(h.service.grpcPort);
  const rng = mulberry32(options.seed);
  const ids = [...h.sim.org.active.slice(0, 5), h.sim.org.inactive[0], h.sim.org.deleted[0], h.sim.org.unknown[0]];
  let accepted = 0;
  let rejected = 0;
  try {
    for (let i = 0; i < options.cases; i++) {
      const valid = encodeRequest(randomTraceRequest(mulberry32(options.seed * 7919 + i), { maxResources: 2, maxSpans: 4, userIds: ids }));
      const input = rng() < 0.1 ? Buffer.from(Array.from({ length: Math.floor(rng() * 200) }, () => Math.floor(rng() * 256))) : mutate(rng, valid);
      const out = await raw.export(input);
      if (out.code === grpc.status.OK) accepted++;
      else if (out.code === grpc.status.INVALID_ARGUMENT) rejected++;
      else assert.fail(`case ${i}: answered ${grpc.status[out.code]} (${out.details}) for ${input.toString('hex').slice(0, 200)}`);
    }
    // Still serving, and nothing accepted was lost on the way to the backend.
    const valid = encodeRequest(randomTraceRequest(mulberry32(options.seed + 1), { userIds: ids }));
    assert.equal((await raw.export(valid)).code, grpc.status.OK);
    await h.sink.waitForCalls(accepted + 1, 20_000);
    assert.equal(h.sink.requests.length, accepted + 1);
    return { cases: options.cases, accepted, rejected };
  } finally {
    raw.close();
    await h.close();
  }
}
