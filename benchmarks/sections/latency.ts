import { compare } from '../compare';
import { directVariant } from '../directVariant';
import { enricherVariant } from '../enricherVariant';
import { passthroughVariantWith } from '../passthroughVariant';
import { format, medianOf, table, targetLine } from '../report';
import type { RoundResult } from '../round';
import type { Variant } from '../subject';
import { header, type BenchContext, type SectionOutcome } from './context';
import { ENRICHER, PASSTHROUGH, settingsOf } from './perCore';

/** Most p99 latency the enricher may add at half of its maximum throughput, ms (issue 5). */
const TARGET_ADDED_P99_MS = 5;
/** Open loop: cap on requests in flight (beyond it a due send is skipped and counted). */
const MAX_IN_FLIGHT = 64;

/**
 * Section 2: latency at half of the enricher's maximum throughput (its median
 * spans/s in section 1), open loop: requests leave at a fixed rate whatever
 * the answers do, and latency counts from when a send was due. `direct` sends
 * to the sink itself: what the enricher adds is its p99 minus direct's.
 */
export async function latencySection(ctx: BenchContext, maxSpansPerSecond: number | undefined): Promise<SectionOutcome> {
  if (!maxSpansPerSecond || !Number.isFinite(maxSpansPerSecond)) {
    console.log('\n== 2. Latency at half of the maximum throughput: SKIPPED (no maximum from section 1)');
    return { ok: true };
  }
  const ratePerSecond = (0.5 * maxSpansPerSecond) / ctx.request.spans;
  header('2. Added latency at half of the maximum throughput (warm cache)', [
    `open loop at ${format(ratePerSecond, 1)} requests/s = ${format(ratePerSecond * ctx.request.spans, 0)} spans/s (half of section 1's ${format(maxSpansPerSecond, 0)}); at most ${MAX_IN_FLIGHT} in flight`,
    'latency counts from when each send was due; "direct" = load generator straight to the sink (no hop)',
    'each request carries a sequence number in its first trace id; the sink notes when it arrives (one monotonic clock for all processes)',
  ]);
  const variants: Variant[] = [directVariant, passthroughVariantWith({ name: PASSTHROUGH })];
  if (ctx.simulator) variants.push(enricherVariant(ctx.simulator, { name: ENRICHER }));
  const { results, ok } = await compare(variants, { ...settingsOf(ctx, 'latency'), load: { mode: 'open', concurrency: MAX_IN_FLIGHT, ratePerSecond, stamp: true } }, []);
  const median = (name: string, pick: (r: RoundResult) => number) => medianOf(results.get(name) ?? [], pick);
  const rows = [['', 'ack p50 ms', 'ack p99 ms', 'delivery p50 ms', 'delivery p99 ms', 'subject CPU %']];
  for (const v of variants) {
    if (!results.get(v.name)?.length) continue;
    rows.push([`${v.name} (median)`, ...[(r: RoundResult) => r.p50Ms, (r: RoundResult) => r.p99Ms, (r: RoundResult) => r.deliveryP50Ms, (r: RoundResult) => r.deliveryP99Ms].map((f) => format(median(v.name, f), 2)), format(median(v.name, (r) => r.subjectCpuPercent), 0)]);
  }
  console.log(`\n${table(rows)}`);
  const deliveryP99 = (name: string) => median(name, (r) => r.deliveryP99Ms);
  const added = deliveryP99(ENRICHER) - deliveryP99('direct');
  console.log(`\n  ack = answer to the sender (the enricher answers once the batch is queued, before the sink has it); delivery = send to arrival at the sink`);
  console.log(`  added delivery p99: enricher - direct ${format(added, 2)} ms; passthrough - direct ${format(deliveryP99(PASSTHROUGH) - deliveryP99('direct'), 2)} ms`);
  console.log(targetLine('p99 latency the enricher adds (delivery) at half of its maximum throughput', `${format(added, 2)} ms`, `<= ${TARGET_ADDED_P99_MS} ms`, Number.isFinite(added) ? added <= TARGET_ADDED_P99_MS : undefined));
  return { ok };
}
