import { parseArgs } from 'node:util';

/** How the benchmark runs; see USAGE for the meaning of each flag. */
export interface BenchOptions {
  /** CI smoke mode: short, one round, exit code says whether every acked span arrived. */
  readonly quick: boolean;
  /** Rounds per variant, run alternately; the report shows medians. */
  readonly rounds: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Requests in flight. */
  readonly concurrency: number;
  /** Sections to run, in run order. */
  readonly sections: readonly Section[];
}

/** The parts of a run, in the order they run (the latency section needs the per-core maximum). */
export const SECTIONS = ['per-core', 'latency', 'cores', 'cold-start', 'memory', 'hold', 'warmup', 'fleet'] as const;
export type Section = (typeof SECTIONS)[number];

export const USAGE = `usage: node dist/benchmarks/run.js [--quick] [--rounds N] [--warmup S] [--duration S] [--concurrency N] [--sections a,b]

  --quick          CI check: 1 round, 1 s warm-up, 2 s measured (flags below still override)
  --rounds N       rounds per variant, variants alternating (default 3)
  --warmup S       seconds of load before each measured window (default 3)
  --duration S     seconds of each measured window (default 10)
  --concurrency N  requests in flight (default 16)
  --sections LIST  comma-separated, default all: ${SECTIONS.join(',')}
`;

/** Parses argv; throws one Error naming every bad flag. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      concurrency: { type: 'string' },
      sections: { type: 'string' },
    },
  });
  const problems: string[] = [];
  const num = (flag: string, raw: string | undefined, def: number, min: number, max: number, integer: boolean): number => {
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      problems.push(`--${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`);
    }
    return n;
  };
  const quick = values.quick ?? false;
  const options: BenchOptions = {
    quick,
    rounds: num('rounds', values.rounds, quick ? 1 : 3, 1, 50, true),
    warmupMs: num('warmup', values.warmup, quick ? 1 : 3, 0.1, 600, false) * 1000,
    durationMs: num('duration', values.duration, quick ? 2 : 10, 0.5, 3600, false) * 1000,
    concurrency: num('concurrency', values.concurrency, 16, 1, 1024, true),
    sections: sectionsOf(values.sections, problems),
  };
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return Object.freeze(options);
}

function sectionsOf(raw: string | undefined, problems: string[]): Section[] {
  if (raw === undefined) return [...SECTIONS];
  const asked = raw.split(',').map((x) => x.trim()).filter((x) => x !== '');
  const unknown = asked.filter((x) => !(SECTIONS as readonly string[]).includes(x));
  if (unknown.length > 0 || asked.length === 0) problems.push(`--sections takes a comma-separated list of ${SECTIONS.join(', ')}; got "${raw}"`);
  return SECTIONS.filter((x) => asked.includes(x));
}
