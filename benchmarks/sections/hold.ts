import * as grpc from '@grpc/grpc-js';
import path from 'node:path';
import type { RunningSimulator } from '../../src/simulator/types';
import { GrpcSink } from '../../test/helpers/grpcSink';
import { encodeRequest, makeRequest } from '../../test/helpers/otlpFixtures';
import { addUsers } from '../../test/helpers/simulatorUsers';
import { enricherVariant, statusOf } from '../enricherVariant';
import { exportRaw, MAX_MESSAGE_BYTES } from '../rawTraceService';
import { format, table } from '../report';
import { percentile } from '../stats';
import type { Subject } from '../subject';
import { header, type BenchContext, type SectionOutcome } from './context';

/** Genesys as a real region answers it, and throttling a part of the calls. */
const LATENCY_MS = 300;
const THROTTLE = { every: 4, retryAfterSeconds: 2 };
const SPANS_PER_USER = 6;
const USERS_PER_ROUND = 50;
const ROUND_MS = 500;
/** Requests per round: the round's spans split as several clients would send them. */
const REQUESTS_PER_ROUND = 5;

interface HoldRun {
  readonly spans: number;
  readonly named: number;
  readonly failed: number;
  readonly exportP50Ms: number;
  readonly exportP99Ms: number;
  readonly lastSpanAfterMs: number;
  readonly genesysCalls: number;
  readonly throttled: number;
}

/**
 * Section 6: names under real Genesys latency. A cold cache; 50 agents the
 * enricher has never seen appear every 500 ms, 6 spans each; Genesys answers
 * every call after 300 ms and throttles every 4th (429, Retry-After 2 s).
 * With the hold off (ENRICHER_LOOKUP_HOLD_MS=0, the behaviour before it
 * existed) and on (the default), in the same run: the share of spans that
 * reach the backend named, and the clients' export latency.
 */
export async function holdSection(ctx: BenchContext): Promise<SectionOutcome> {
  const sim = ctx.simulator;
  if (!sim) {
    console.log('\n== 6. Names under real Genesys latency: SKIPPED (the enricher cannot run here)');
    return { ok: true };
  }
  const rounds = ctx.options.quick ? 4 : 12;
  header(`6. Names under real Genesys latency: ${rounds} rounds of ${USERS_PER_ROUND} new agents every ${ROUND_MS} ms, ${SPANS_PER_USER} spans each, cold cache`, [
    `Genesys (simulator) answers every call after ${LATENCY_MS} ms and answers 429 (Retry-After ${THROTTLE.retryAfterSeconds} s) to every ${THROTTLE.every}th; default look-up budget (200 ms)`,
    'named: spans at the backend carrying user.full_name; export latency: the client\'s Export call, from send to answer',
  ]);
  const results = new Map<string, HoldRun>();
  let ok = true;
  // Warm-up off in both: the point is a cold cache (users appear after the start).
  for (const [label, env] of [['hold off (ENRICHER_LOOKUP_HOLD_MS=0)', { ENRICHER_LOOKUP_HOLD_MS: '0', ENRICHER_WARMUP: 'off' }], ['hold on (default)', { ENRICHER_WARMUP: 'off' }]] as const) {
    const run = await measure(ctx, sim, label, env, rounds, 0x401d + results.size);
    if (!run) {
      ok = false;
      continue;
    }
    results.set(label, run);
    if (run.spans !== rounds * USERS_PER_ROUND * SPANS_PER_USER) ok = false;
  }
  const rows = [...results].map(([label, r]) => [
    label,
    `${r.named}/${r.spans} (${format((100 * r.named) / Math.max(1, r.spans), 1)} %)`,
    String(r.failed),
    `${format(r.exportP50Ms, 1)} / ${format(r.exportP99Ms, 1)} ms`,
    `${format(r.lastSpanAfterMs / 1000, 1)} s`,
    `${r.genesysCalls} (${r.throttled} x 429)`,
  ]);
  console.log(table([['variant', 'named', 'failed', 'export p50 / p99', 'last span at backend', 'Genesys calls'], ...rows]));
  const off = results.get('hold off (ENRICHER_LOOKUP_HOLD_MS=0)');
  const on = results.get('hold on (default)');
  if (off && on) {
    console.log(`  named share, hold on / hold off: ${format(on.named / Math.max(1, on.spans), 3)} / ${format(off.named / Math.max(1, off.spans), 3)}; export p99 ratio on/off: ${format(on.exportP99Ms / Math.max(0.001, off.exportP99Ms), 2)}`);
  }
  return { ok };
}

async function measure(ctx: BenchContext, sim: RunningSimulator, label: string, env: Record<string, string>, rounds: number, seed: number): Promise<HoldRun | undefined> {
  const users = addUsers(sim, rounds * USERS_PER_ROUND, { seed, label: `Hold Agent ${seed}` });
  const sink = await GrpcSink.start();
  let subject: Subject | undefined;
  try {
    subject = await enricherVariant(sim, { name: `enricher (${label})`, env }).start({ port: sink.port, pid: process.pid }, path.join(ctx.logDir, `hold-${seed}-enricher.log`));
    while ((await statusOf(`${subject.adminUrl}/readyz`)) !== 200) await new Promise((r) => setTimeout(r, 50));
    sim.resetStats();
    sim.faults.latencyMs = LATENCY_MS;
    sim.faults.rateLimitEvery = { ...THROTTLE };
    const client = new grpc.Client(subject.address, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
    const exportMs: number[] = [];
    const t0 = performance.now();
    try {
      for (let r = 0; r < rounds; r++) {
        const started = performance.now();
        const roundUsers = users.slice(r * USERS_PER_ROUND, (r + 1) * USERS_PER_ROUND);
        const per = Math.ceil(roundUsers.length / REQUESTS_PER_ROUND);
        await Promise.all(
          Array.from({ length: REQUESTS_PER_ROUND }, async (_, i) => {
            const ids = roundUsers.slice(i * per, (i + 1) * per);
            const request = encodeRequest(makeRequest({ spans: ids.length * SPANS_PER_USER, withUserIdRatio: 1, userIds: ids, resources: 1, scopesPerResource: 1, attributesPerSpan: 6, seed: seed + r * 31 + i }));
            const sent = performance.now();
            await exportRaw(client, request, 30_000);
            exportMs.push(performance.now() - sent);
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, ROUND_MS - (performance.now() - started))));
      }
    } finally {
      client.close();
    }
    const expected = rounds * USERS_PER_ROUND * SPANS_PER_USER;
    const spans = await sink.waitForSpans(expected, 120_000).catch(() => sink.spans());
    const lastSpanAfterMs = performance.now() - t0;
    const stats = sim.stats();
    const sorted = [...exportMs].sort((a, b) => a - b);
    return {
      spans: spans.length,
      named: spans.filter((s) => typeof s.attributes['user.full_name'] === 'string').length,
      failed: spans.filter((s) => s.attributes['genesys.user.lookup'] === 'failed').length,
      exportP50Ms: percentile(sorted, 50),
      exportP99Ms: percentile(sorted, 99),
      lastSpanAfterMs,
      genesysCalls: stats.total,
      throttled: stats.byStatus['429'] ?? 0,
    };
  } catch (e) {
    console.log(`  ${label}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  } finally {
    sim.faults.latencyMs = 0;
    sim.faults.rateLimitEvery = undefined;
    await subject?.child?.stop();
    await sink.close();
  }
}
