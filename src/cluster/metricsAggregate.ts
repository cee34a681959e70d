import { type FamilySnapshot, MetricsRegistry } from '../telemetry/metricsRegistry';
import type { HistogramSample, Labels, Sample } from '../telemetry/metricsRegistry';

/** One worker's families, as it reported them. */
export interface WorkerFamilies {
  /** node:cluster worker id: the `worker` label of its gauges. */
  readonly worker: number;
  readonly families: readonly FamilySnapshot[];
}

/**
 * The figures of a multi-worker process as one scrape, the way prom-client's
 * cluster registry does it: counters and histograms summed over the workers
 * (series of equal labels add up; buckets match, every worker declares the
 * same bounds), gauges kept per worker with a `worker` label (a queue depth
 * or a breaker state is a worker's own; summing `process_start_time_seconds`
 * would mean nothing). Families in the order of the first worker that has them.
 */
export function aggregateWorkerMetrics(workers: readonly WorkerFamilies[]): MetricsRegistry {
  const order: string[] = [];
  const byName = new Map<string, { help: string; type: FamilySnapshot['type']; parts: Array<{ worker: number; family: FamilySnapshot }> }>();
  for (const { worker, families } of workers) {
    for (const family of families) {
      let entry = byName.get(family.name);
      if (!entry) {
        entry = { help: family.help, type: family.type, parts: [] };
        byName.set(family.name, entry);
        order.push(family.name);
      }
      if (entry.type === family.type) entry.parts.push({ worker, family });
    }
  }
  const registry = new MetricsRegistry();
  for (const name of order) {
    const { help, type, parts } = byName.get(name)!;
    if (type === 'histogram') {
      const samples = sumHistograms(parts.flatMap((p) => p.family.samples as readonly HistogramSample[]));
      registry.add({ name, help, type, collect: () => samples });
    } else if (type === 'counter') {
      const samples = sumSamples(parts.flatMap((p) => p.family.samples as readonly Sample[]));
      registry.add({ name, help, type, collect: () => samples });
    } else {
      const samples = parts.flatMap((p) => (p.family.samples as readonly Sample[]).map((s) => ({ labels: { ...s.labels, worker: String(p.worker) }, value: s.value })));
      registry.add({ name, help: `${help} Per worker.`, type, collect: () => samples });
    }
  }
  return registry;
}

function key(labels: Labels | undefined): string {
  return JSON.stringify(Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}

function sumSamples(samples: readonly Sample[]): Sample[] {
  const sums = new Map<string, { labels?: Labels; value: number }>();
  for (const s of samples) {
    const k = key(s.labels);
    const held = sums.get(k);
    if (held) held.value += s.value;
    else sums.set(k, { ...(s.labels ? { labels: s.labels } : {}), value: s.value });
  }
  return [...sums.values()];
}

function sumHistograms(samples: readonly HistogramSample[]): HistogramSample[] {
  const sums = new Map<string, HistogramSample>();
  for (const h of samples) {
    const k = key(h.labels);
    const held = sums.get(k);
    if (!held) {
      sums.set(k, { ...h, buckets: h.buckets.map((b) => ({ ...b })) });
      continue;
    }
    sums.set(k, {
      ...held,
      buckets: held.buckets.map((b, i) => ({ le: b.le, count: b.count + (h.buckets[i]?.le === b.le ? h.buckets[i]!.count : 0) })),
      sum: held.sum + h.sum,
      count: held.count + h.count,
    });
  }
  return [...sums.values()];
}
