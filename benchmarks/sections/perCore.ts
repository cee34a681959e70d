import { compare } from '../compare';
import { enricherVariant } from '../enricherVariant';
import { passthroughVariantWith } from '../passthroughVariant';
import { format, medianOf, targetLine } from '../report';
import type { Variant } from '../subject';
import { header, TUNED_WINDOW_BYTES, type BenchContext, type SectionOutcome } from './context';

export const PASSTHROUGH = 'passthrough';
export const ENRICHER = 'enricher';
const PASSTHROUGH_TUNED = 'passthrough 4MiB-win';
const ENRICHER_TUNED = 'enricher 4MiB-win';
/** The enricher with grpc-js's 64 KiB receive window instead of its 1 MiB default: like for like with the passthrough. */
const ENRICHER_64K = 'enricher 64KiB-win';

/** Share of the passthrough's spans per CPU-second the issue asks the enricher to keep. */
const TARGET_CPU_RATIO = 0.7;

/**
 * Section 1: one core each, closed loop. The pair at defaults (grpc-js's 64 KiB
 * HTTP/2 windows for the passthrough and the sink, the enricher's own 1 MiB
 * receive window), the enricher with 64 KiB too (like for like, no target), and
 * the pair with 4 MiB windows on the subject's receiver and on the sink (and 16
 * concurrent exports for the enricher, as many as requests in flight), which
 * takes flow control out of the way so what is left is each hop's CPU.
 */
export async function perCoreSection(ctx: BenchContext): Promise<SectionOutcome & { enricherSpansPerSecond?: number; passthroughSpansPerSecond?: number }> {
  header('1. Per core: enricher vs plain grpc-js pass-through, each pinned to one core', [
    `closed loop, ${ctx.options.concurrency} requests in flight, one connection; spans/s = spans the sink received during the window`,
    'defaults: 64 KiB HTTP/2 windows (grpc-js) on the passthrough and the sink, 1 MiB on the enricher\'s receiver (its default); "64KiB-win": the enricher with ENRICHER_OTLP_GRPC_WINDOW_KIB=64',
    `"4MiB-win": ${TUNED_WINDOW_BYTES / 2 ** 20} MiB HTTP/2 receive windows on the subject and the sink (ENRICHER_OTLP_GRPC_WINDOW_KIB=${TUNED_WINDOW_BYTES / 1024}, ENRICHER_EXPORT_CONCURRENCY=16)`,
  ]);
  const variants: Variant[] = [passthroughVariantWith({ name: PASSTHROUGH })];
  if (ctx.simulator) variants.push(enricherVariant(ctx.simulator, { name: ENRICHER }), enricherVariant(ctx.simulator, { name: ENRICHER_64K, env: { ENRICHER_OTLP_GRPC_WINDOW_KIB: '64' } }));
  variants.push(passthroughVariantWith({ name: PASSTHROUGH_TUNED, serverWindowBytes: TUNED_WINDOW_BYTES, sinkWindowBytes: TUNED_WINDOW_BYTES }));
  if (ctx.simulator) {
    variants.push(
      enricherVariant(ctx.simulator, {
        name: ENRICHER_TUNED,
        sinkWindowBytes: TUNED_WINDOW_BYTES,
        env: { ENRICHER_OTLP_GRPC_WINDOW_KIB: String(TUNED_WINDOW_BYTES / 1024), ENRICHER_EXPORT_CONCURRENCY: '16' },
      }),
    );
  }
  const { results, ok } = await compare(variants, settingsOf(ctx, 'per-core'), [
    [ENRICHER, PASSTHROUGH],
    [ENRICHER_64K, PASSTHROUGH],
    [ENRICHER_TUNED, PASSTHROUGH_TUNED],
    [PASSTHROUGH_TUNED, PASSTHROUGH],
    [ENRICHER_TUNED, ENRICHER],
  ]);
  const cpuRatio = (a: string, b: string) => medianOf(results.get(a) ?? [], (r) => r.spansPerCpuSecond) / medianOf(results.get(b) ?? [], (r) => r.spansPerCpuSecond);
  // Issue 5's target is against a plain grpc-js pass-through, i.e. at grpc-js's defaults.
  const ratio = cpuRatio(ENRICHER, PASSTHROUGH);
  console.log(targetLine(`spans per CPU-second, ${ENRICHER} / ${PASSTHROUGH}`, format(ratio, 2), `>= ${TARGET_CPU_RATIO}`, Number.isFinite(ratio) ? ratio >= TARGET_CPU_RATIO : undefined));
  // The same share against a pass-through tuned past those defaults: a stretch goal of ours, not the issue's.
  const tuned = cpuRatio(ENRICHER_TUNED, PASSTHROUGH_TUNED);
  if (Number.isFinite(tuned)) {
    console.log(`  stretch (both ends tuned past grpc-js's defaults): spans per CPU-second, ${ENRICHER_TUNED} / ${PASSTHROUGH_TUNED}: ${format(tuned, 2)} (goal >= ${TARGET_CPU_RATIO}): ${tuned >= TARGET_CPU_RATIO ? 'reached' : 'not reached'}`);
  }
  return {
    ok,
    enricherSpansPerSecond: medianOf(results.get(ENRICHER) ?? [], (r) => r.spansPerSecond),
    passthroughSpansPerSecond: medianOf(results.get(PASSTHROUGH) ?? [], (r) => r.spansPerSecond),
  };
}

/** Comparison settings of a section, from the run's options. */
export function settingsOf(ctx: BenchContext, section: string) {
  return {
    section,
    rounds: ctx.options.rounds,
    warmupMs: ctx.options.warmupMs,
    durationMs: ctx.options.durationMs,
    requestFile: ctx.requestFile,
    spansPerRequest: ctx.request.spans,
    logDir: ctx.logDir,
    load: { mode: 'closed' as const, concurrency: ctx.options.concurrency },
  };
}
