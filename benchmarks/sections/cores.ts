import os from 'node:os';
import { compare } from '../compare';
import { enricherVariant } from '../enricherVariant';
import { SUBJECT_CORE } from '../pinning';
import { format, medianOf, targetLine } from '../report';
import { header, TUNED_WINDOW_BYTES, type BenchContext, type SectionOutcome } from './context';
import { settingsOf } from './perCore';

/** Connections the load generator spreads its requests over (the cluster deals out connections, not requests). */
const CONNECTIONS = 4;

/**
 * Section 3: the service confined to one core (one worker, pinned) against
 * one worker per CPU free to use every core (ENRICHER_WORKERS). Tuned windows,
 * so CPU rather than flow control is what more cores can relieve.
 *
 * The pair that decides is at the service's default export compression
 * (gzip): there the service's work per span is several times the load
 * generator's and sink's, so a second core has work to take. Uncompressed,
 * the driver (pinned to core 0, about as costly per span as a pass-through)
 * needs most of the core the second worker would share with it; that pair
 * is printed too, as what this machine can and cannot show.
 */
export async function coresSection(ctx: BenchContext): Promise<SectionOutcome> {
  const cores = os.cpus().length;
  if (!ctx.simulator || cores < 2) {
    console.log(`\n== 3. Cores: SKIPPED (${!ctx.simulator ? 'the enricher cannot run here' : 'one CPU: nothing to compare'})`);
    return { ok: true };
  }
  const one = '1 core';
  const all = `${cores} cores`;
  const oneRaw = `${one}, uncompressed`;
  const allRaw = `${all}, uncompressed`;
  header(`3. Cores: ENRICHER_WORKERS=1 pinned to one core vs ENRICHER_WORKERS=${cores} on all cores`, [
    `closed loop, ${ctx.options.concurrency} requests in flight over ${CONNECTIONS} connections; ${TUNED_WINDOW_BYTES / 2 ** 20} MiB windows and 16 exports per worker`,
    `"${one}" / "${all}": export compression at the service's default (gzip); "uncompressed": ENRICHER_EXPORT_COMPRESSION=none`,
    `the load generator and sink stay pinned to core 0, so on a ${cores}-core machine the workers share it with them; CPU and RSS are summed over the primary and its workers`,
  ]);
  const env = (workers: number, compression: 'gzip' | 'none') => ({
    ENRICHER_WORKERS: String(workers),
    ENRICHER_OTLP_GRPC_WINDOW_KIB: String(TUNED_WINDOW_BYTES / 1024),
    ENRICHER_EXPORT_CONCURRENCY: '16',
    ENRICHER_EXPORT_COMPRESSION: compression,
  });
  const variant = (name: string, workers: number, compression: 'gzip' | 'none') =>
    enricherVariant(ctx.simulator!, { name, core: workers === 1 ? SUBJECT_CORE : 'all', env: env(workers, compression), sinkWindowBytes: TUNED_WINDOW_BYTES });
  const variants = [variant(one, 1, 'gzip'), variant(all, cores, 'gzip'), variant(oneRaw, 1, 'none'), variant(allRaw, cores, 'none')];
  const { results, ok } = await compare(variants, { ...settingsOf(ctx, 'cores'), load: { mode: 'closed', concurrency: ctx.options.concurrency, connections: CONNECTIONS } }, [
    [all, one],
    [allRaw, oneRaw],
  ]);
  const spansPerSecond = (name: string) => medianOf(results.get(name) ?? [], (r) => r.spansPerSecond);
  const ratio = spansPerSecond(all) / spansPerSecond(one);
  console.log(`  spans/s ${allRaw} / ${oneRaw}: ${format(spansPerSecond(allRaw) / spansPerSecond(oneRaw), 2)} (bound by the load generator and sink sharing core 0; see "driver CPU %")`);
  console.log(targetLine(`throughput grows with cores, spans/s ${all} / ${one} (defaults)`, format(ratio, 2), '> 1', Number.isFinite(ratio) ? ratio > 1 : undefined));
  return { ok };
}
