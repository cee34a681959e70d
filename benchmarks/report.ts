import type { RoundResult } from './round';
import { median } from './stats';

/** The figures of the summary, in column order, with how each is printed. */
const COLUMNS: { title: string; pick: (r: RoundResult) => number; digits: number; ratio: boolean }[] = [
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
  return `round ${round} ${r.variant.padEnd(11)} ${figures}  ${delivery}${failed}`;
}

/** Median of each figure per variant, then the ratios of the second variant to the first. */
export function summaryTable(byVariant: ReadonlyMap<string, RoundResult[]>): string {
  const names = [...byVariant.keys()];
  const medians = new Map(names.map((n) => [n, COLUMNS.map((c) => median(byVariant.get(n)!.map(c.pick)))]));
  const rows: string[][] = [['', ...COLUMNS.map((c) => c.title)]];
  for (const n of names) rows.push([`${n} (median)`, ...medians.get(n)!.map((v, i) => format(v, COLUMNS[i]!.digits))]);
  if (names.length === 2) {
    const [base, other] = [medians.get(names[0]!)!, medians.get(names[1]!)!];
    rows.push([`${names[1]}/${names[0]}`, ...other.map((v, i) => (COLUMNS[i]!.ratio ? (v / base[i]!).toFixed(2) : ''))]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

function format(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
}
