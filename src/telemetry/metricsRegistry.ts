import type { HistogramSnapshot } from './metricsHistogram';

/** Prometheus metric types this service exposes. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Label names to values. Values may be anything; they are escaped on output. */
export type Labels = Readonly<Record<string, string>>;

/** One value of a counter or gauge. */
export interface Sample {
  readonly labels?: Labels;
  readonly value: number;
}

/** A sample, with labels only when given. */
export function sample(value: number, labels?: Labels): Sample {
  return labels ? { value, labels } : { value };
}

/** One labelled series of a histogram. */
export interface HistogramSample extends HistogramSnapshot {
  readonly labels?: Labels;
}

interface FamilyBase {
  /** Metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`; for histograms the base of `_bucket`, `_sum` and `_count`. */
  readonly name: string;
  /** One line of English: what is counted, in which unit. */
  readonly help: string;
}

/**
 * A metric and the callback that reads its current value(s) from a component's
 * `stats()` at scrape time (pull model: nothing is pushed or stored here).
 */
export type MetricFamily =
  | (FamilyBase & { readonly type: 'counter' | 'gauge'; collect(): readonly Sample[] })
  | (FamilyBase & { readonly type: 'histogram'; collect(): readonly HistogramSample[] });

/** One family's values at one moment, as plain (structured-cloneable) data. */
export type FamilySnapshot =
  | (FamilyBase & { readonly type: 'counter' | 'gauge'; readonly samples: readonly Sample[] })
  | (FamilyBase & { readonly type: 'histogram'; readonly samples: readonly HistogramSample[] });

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The content type of the Prometheus text exposition format this registry writes. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Metric families in declaration order, rendered in the Prometheus text
 * exposition format 0.0.4. A family whose callback throws is left out of that
 * scrape (and counted) rather than failing the whole scrape.
 */
export class MetricsRegistry {
  readonly #families: MetricFamily[] = [];
  readonly #names = new Set<string>();
  #collectFailures = 0;

  /** Adds a family; throws on a malformed or duplicate name. */
  add(family: MetricFamily): this {
    if (!METRIC_NAME.test(family.name)) throw new RangeError(`MetricsRegistry: invalid metric name ${JSON.stringify(family.name)}`);
    if (this.#names.has(family.name)) throw new RangeError(`MetricsRegistry: metric ${family.name} declared twice`);
    this.#names.add(family.name);
    this.#families.push(family);
    return this;
  }

  /** Names of the declared families, in order. */
  names(): string[] {
    return this.#families.map((f) => f.name);
  }

  /** Scrapes whose callback threw, one per family and scrape, since construction. */
  get collectFailures(): number {
    return this.#collectFailures;
  }

  /**
   * Every family with its current values, as plain data (for a cluster
   * primary to aggregate the workers'). A family whose callback throws is left
   * out, as in `render`.
   */
  snapshot(): FamilySnapshot[] {
    const out: FamilySnapshot[] = [];
    for (const family of this.#families) {
      try {
        out.push(family.type === 'histogram' ? { name: family.name, help: family.help, type: 'histogram', samples: [...family.collect()] } : { name: family.name, help: family.help, type: family.type, samples: [...family.collect()] });
      } catch {
        this.#collectFailures++;
      }
    }
    return out;
  }

  /** Every family with its current values, as Prometheus text. */
  render(): string {
    const out: string[] = [];
    for (const family of this.#families) {
      let lines: string[];
      try {
        lines = renderFamily(family);
      } catch {
        this.#collectFailures++;
        continue;
      }
      out.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`, ...lines);
    }
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }
}

function renderFamily(family: MetricFamily): string[] {
  if (family.type !== 'histogram') return family.collect().map((s) => `${family.name}${labelText(s.labels)} ${formatValue(s.value)}`);
  const lines: string[] = [];
  for (const h of family.collect()) {
    for (const b of h.buckets) lines.push(`${family.name}_bucket${labelText(h.labels, ['le', formatValue(b.le)])} ${formatValue(b.count)}`);
    lines.push(`${family.name}_bucket${labelText(h.labels, ['le', '+Inf'])} ${formatValue(h.count)}`);
    lines.push(`${family.name}_sum${labelText(h.labels)} ${formatValue(h.sum)}`);
    lines.push(`${family.name}_count${labelText(h.labels)} ${formatValue(h.count)}`);
  }
  return lines;
}

function labelText(labels: Labels | undefined, extra?: readonly [string, string]): string {
  const pairs = Object.entries(labels ?? {});
  if (extra) pairs.push([extra[0], extra[1]]);
  if (pairs.length === 0) return '';
  const parts = pairs.map(([name, value]) => {
    if (!LABEL_NAME.test(name)) throw new RangeError(`invalid label name ${JSON.stringify(name)}`);
    return `${name}="${escapeLabelValue(value)}"`;
  });
  return `{${parts.join(',')}}`;
}

/** A sample value: integers as such, non-finite values as Prometheus spells them. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

// Exposition format 0.0.4: HELP escapes backslash and newline; label values also the double quote.
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
  return String(text).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
