import type { RunningSimulator } from '../../src/simulator/types';
import type { BenchOptions } from '../options';
import type { BenchRequest } from '../request';

/** What every section of a run shares. */
export interface BenchContext {
  readonly options: BenchOptions;
  readonly request: BenchRequest;
  /** The request, written once for the load generators. */
  readonly requestFile: string;
  /** Children's logs. */
  readonly logDir: string;
  /** The Genesys simulator the enricher talks to; undefined when the enricher cannot run here. */
  readonly simulator?: RunningSimulator;
}

/** How a section ended: false when a round failed or lost acknowledged spans. */
export interface SectionOutcome {
  readonly ok: boolean;
}

/** Window sizes of the tuned variants, bytes. */
export const TUNED_WINDOW_BYTES = 4 * 1024 * 1024;

/** Prints a section header. */
export function header(title: string, lines: readonly string[]): void {
  console.log(`\n== ${title}`);
  for (const l of lines) console.log(`   ${l}`);
  console.log('');
}
