import type { RoundResult } from './round';
import { median } from './stats';

/** A figure of the summary, how it is printed, and whether a ratio of it means anything. */
interface Column {
  title: string;
  pick: (r: RoundResult) => number;
  digits: number;
  ratio: boolean;
}

const COLUMNS: readonly Column[] = [
  { title: 'spans/s', pick: (r) => r.spansPerSecond, digits: 0, ratio: true },
  { title: 'spans/CPU-s', pick: (r) => r.spansPerCpuSecond, digits: 0, ratio: true },
  { title: 'p50 ms', pick: (r) => r.p50Ms, digits: 2, ratio: true },
  { title: 'p99 ms', pick: (r) => r.p99Ms, digits: 2, ratio: true },
  { title: 'RSS MiB', pick: (r) => r.rssMiB, digits: 1, ratio: true },
  { title: 'subject CPU %', pick: (r) => r.subjectCpuPercent, digits: 0, ratio: false },
  { title: 'driver CPU %', pick: (r) => r.driverCpuPercent, digits: 0, ratio: false },
];

/** One line per finished round, printed as the run goes. */
export function roundLine(round: number, r: RoundResult): string {
  const figures = COLUMNS.map((c) => `${c.title} ${format(c.pick(r), c.digits)}`).join('  ');
  const delivery = r.deliveredSpans >= r.ackedSpans ? 'all acked spans delivered' : `LOST ${r.ackedSpans - r.deliveredSpans} acked spans`;
  const failed = r.failedRequests > 0 ? `  ${r.failedRequests} failed requests (${r.firstError})` : '';
  const skipped = r.skippedRequests > 0 ? `  ${r.skippedRequests} sends skipped (too many in flight)` : '';
  return `  round ${round} ${r.variant.padEnd(24)} ${figures}  ${delivery}${failed}${skipped}`;
}

/** Median of one figure over the rounds of a variant. */
export function medianOf(results: readonly RoundResult[], pick: (r: RoundResult) => number): number {
  return median(results.map(pick));
}

/**
 * Median of each figure per variant, then one ratio row per [numerator,
 * denominator] pair of variant names.
 */
export function summaryTable(byVariant: ReadonlyMap<string, RoundResult[]>, ratios: readonly (readonly [string, string])[]): string {
  const names = [...byVariant.keys()];
  const medians = new Map(names.map((n) => [n, COLUMNS.map((c) => medianOf(byVariant.get(n)!, c.pick))]));
  const rows: string[][] = [['', ...COLUMNS.map((c) => c.title)]];
  for (const n of names) rows.push([`${n} (median)`, ...medians.get(n)!.map((v, i) => format(v, COLUMNS[i]!.digits))]);
  for (const [top, bottom] of ratios) {
    const [a, b] = [medians.get(top), medians.get(bottom)];
    if (!a || !b) continue;
    rows.push([`${top} / ${bottom}`, ...a.map((v, i) => (COLUMNS[i]!.ratio ? (v / b[i]!).toFixed(2) : ''))]);
  }
  return table(rows);
}

/** Left-aligned first column, right-aligned figures, two spaces apart; indented by two. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => '  ' + r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

/** A target line: what was measured against what the issue asks, and whether it was met. */
export function targetLine(what: string, measured: string, target: string, met: boolean | undefined): string {
  const verdict = met === undefined ? 'n/a' : met ? 'met' : 'MISSED';
  return `  target: ${what}: ${measured} (target ${target}): ${verdict}`;
}

export function format(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
}
