import os from 'node:os';
import { compare } from '../compare';
import { enricherVariant } from '../enricherVariant';
import { format, medianOf, targetLine } from '../report';
import { header, TUNED_WINDOW_BYTES, type BenchContext, type SectionOutcome } from './context';
import { settingsOf } from './perCore';

/** Connections the load generator spreads its requests over (the cluster deals out connections, not requests). */
const CONNECTIONS = 4;

/**
 * Section 3: throughput with one worker process against one per CPU
 * (ENRICHER_WORKERS), the service free to use every core. Tuned windows, so
 * CPU rather than flow control is what more workers can relieve.
 */
export async function coresSection(ctx: BenchContext): Promise<SectionOutcome> {
  const cores = os.cpus().length;
  if (!ctx.simulator) {
    console.log('\n== 3. Cores: SKIPPED (the enricher cannot run here)');
    return { ok: true };
  }
  const one = 'enricher 1 worker';
  const all = `enricher ${cores} workers`;
  header(`3. Cores: ENRICHER_WORKERS=1 vs ${cores} (all cores), unpinned`, [
    `closed loop, ${ctx.options.concurrency} requests in flight over ${CONNECTIONS} connections; ${TUNED_WINDOW_BYTES / 2 ** 20} MiB windows and 16 exports per worker`,
    `the load generator and sink stay pinned to core 0, so on a ${cores}-core machine the workers share it with them; CPU and RSS are summed over the primary and its workers`,
  ]);
  const env = (workers: number) => ({ ENRICHER_WORKERS: String(workers), ENRICHER_OTLP_GRPC_WINDOW_KIB: String(TUNED_WINDOW_BYTES / 1024), ENRICHER_EXPORT_CONCURRENCY: '16' });
  const variants = [
    enricherVariant(ctx.simulator, { name: one, core: 'all', env: env(1), sinkWindowBytes: TUNED_WINDOW_BYTES }),
    enricherVariant(ctx.simulator, { name: all, core: 'all', env: env(cores), sinkWindowBytes: TUNED_WINDOW_BYTES }),
  ];
  const { results, ok } = await compare(variants, { ...settingsOf(ctx, 'cores'), load: { mode: 'closed', concurrency: ctx.options.concurrency, connections: CONNECTIONS } }, [[all, one]]);
  const ratio = medianOf(results.get(all) ?? [], (r) => r.spansPerSecond) / medianOf(results.get(one) ?? [], (r) => r.spansPerSecond);
  console.log(targetLine(`throughput grows with cores, spans/s ${all} / ${one}`, format(ratio, 2), '> 1', Number.isFinite(ratio) ? ratio > 1 : undefined));
  return { ok };
}
