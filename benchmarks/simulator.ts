import fs from 'node:fs';
import path from 'node:path';
import type { RunningSimulator, SimulatorOptions } from '../src/simulator/types';

/** Compiled simulator module (dist/src/simulator/index.js), resolved from dist/benchmarks. */
const SIMULATOR_MODULE = path.resolve(__dirname, '../src/simulator/index.js');

/** Either a running simulator or the reason there is none. */
export type SimulatorStart = { simulator: RunningSimulator } | { unavailable: string };

/**
 * Starts the Genesys Cloud simulator in this process (it only answers the
 * enricher's cache misses, so after warm-up it is idle). Loaded at run time
 * so the harness still runs the passthrough while the simulator is missing.
 */
export async function startBenchSimulator(): Promise<SimulatorStart> {
  if (!fs.existsSync(SIMULATOR_MODULE)) return { unavailable: `${path.relative(process.cwd(), SIMULATOR_MODULE)} is missing` };
  const mod = require(SIMULATOR_MODULE) as { startSimulator?: (o?: SimulatorOptions) => RunningSimulator | Promise<RunningSimulator> };
  if (typeof mod.startSimulator !== 'function') return { unavailable: `${SIMULATOR_MODULE} exports no startSimulator()` };
  // No rate limit and no faults: the benchmark measures the enricher, not the directory.
  return { simulator: await mod.startSimulator({ rateLimitPerMinute: 0 }) };
}
