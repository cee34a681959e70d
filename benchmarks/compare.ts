import { roundLine, summaryTable } from './report';
import { runRound, type LoadShape, type RoundResult } from './round';
import type { Variant } from './subject';

/** What a comparison shares across its variants. */
export interface ComparisonSettings {
  /** Short name, for log files. */
  section: string;
  rounds: number;
  warmupMs: number;
  durationMs: number;
  requestFile: string;
  spansPerRequest: number;
  logDir: string;
  load: LoadShape;
  sinkWindowBytes?: number;
}

export interface Comparison {
  /** Rounds that finished, per variant (in the order given). */
  readonly results: Map<string, RoundResult[]>;
  /** False when a round failed or lost acknowledged spans. */
  readonly ok: boolean;
}

/**
 * Runs the variants in alternating rounds (a, b, c, a, b, c, ...), each round
 * with fresh processes, printing a line per round; then the medians and the
 * ratios asked for (no table without ratios: the caller prints its own). Alternating spreads the machine's drifting load over all
 * variants alike.
 */
export async function compare(variants: readonly Variant[], s: ComparisonSettings, ratios: readonly (readonly [string, string])[]): Promise<Comparison> {
  const results = new Map<string, RoundResult[]>(variants.map((v) => [v.name, []]));
  let ok = true;
  for (let round = 1; round <= s.rounds; round++) {
    for (const variant of variants) {
      try {
        const r = await runRound(variant, { round, ...s });
        results.get(variant.name)!.push(r);
        console.log(roundLine(round, r));
        if (r.ackedSpans === 0 || r.deliveredSpans < r.ackedSpans) ok = false;
      } catch (e) {
        ok = false;
        console.log(`  round ${round} ${variant.name}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  const finished = new Map([...results].filter(([, rs]) => rs.length > 0));
  if (finished.size > 0 && ratios.length > 0) console.log(`\n${summaryTable(finished, ratios)}`);
  return { results, ok };
}
