/** Requests with known span ids, and a client loop that gets each one acknowledged. */
import * as grpc from '@grpc/grpc-js';
import { encodeRequest, makeRequest } from '../../helpers/otlpFixtures';
import type { RawClient } from '../../helpers/rawGrpcClient';

export interface KnownRequest {
  readonly bytes: Buffer;
  /** Hex span ids, as the sink reports them. */
  readonly spanIds: readonly string[];
}

/** `count` distinct requests of `spans` spans each (seeded: the same ids every run). */
export function knownRequests(count: number, spans: number, firstSeed: number): KnownRequest[] {
  return Array.from({ length: count }, (_, i) => {
    const request = makeRequest({ spans, seed: firstSeed + i, attributesPerSpan: 2 });
    const spanIds = request.resourceSpans!.flatMap((rs) => rs.scopeSpans!.flatMap((ss) => ss.spans!.map((s) => Buffer.from(s.spanId!).toString('hex'))));
    return { bytes: encodeRequest(request), spanIds };
  });
}

/** Every span id of `requests`. */
export const idsOf = (requests: readonly KnownRequest[]): Set<string> => new Set(requests.flatMap((r) => r.spanIds));

/**
 * Sends every request with `concurrency` in flight, as an SDK would: a
 * retryable refusal (UNAVAILABLE) is retried after `retryMs`, for up to
 * `giveUpAfterMs` in all; anything else fails the test.
 */
export async function sendAcknowledged(
  client: RawClient,
  requests: readonly KnownRequest[],
  options: { concurrency: number; retryMs?: number; giveUpAfterMs?: number },
): Promise<{ refusals: number }> {
  const { concurrency, retryMs = 20, giveUpAfterMs = 15_000 } = options;
  const deadline = Date.now() + giveUpAfterMs;
  let next = 0;
  let refusals = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++];
      for (;;) {
        const outcome = await client.export(request.bytes);
        if (outcome.code === grpc.status.OK) break;
        if (outcome.code !== grpc.status.UNAVAILABLE) throw new Error(`request refused for good: ${grpc.status[outcome.code]} ${outcome.details}`);
        if (Date.now() > deadline) throw new Error(`request still refused after ${giveUpAfterMs} ms: ${outcome.details}`);
        refusals++;
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { refusals };
}
