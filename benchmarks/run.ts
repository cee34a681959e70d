/**
 * The enricher measured against a plain grpc-js pass-through, in one run on
 * one machine: per core, latency at half load, all cores, cold start, memory.
 * `npm run bench` for figures, `--quick` for CI (checks that every section
 * runs and that nothing acknowledged is lost, not how fast anything is).
 * Method and reading: benchmarks/README.md and docs/performance.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningSimulator } from '../src/simulator/types';
import { enricherUnavailable } from './enricherVariant';
import { parseBenchOptions, USAGE, type BenchOptions } from './options';
import { DRIVER_CORE, PINNING_UNAVAILABLE, pinSelf, SUBJECT_CORE } from './pinning';
import { CLOCK_TICKS_PER_SECOND } from './procStat';
import { buildBenchRequest, syntheticPool, type BenchRequest } from './request';
import type { BenchContext } from './sections/context';
import { coldStartSection } from './sections/coldStart';
import { coresSection } from './sections/cores';
import { latencySection } from './sections/latency';
import { fleetSection } from './sections/fleet';
import { memorySection } from './sections/memory';
import { perCoreSection } from './sections/perCore';
import { holdSection } from './sections/hold';
import { warmupSection } from './sections/warmup';
import { startBenchSimulator } from './simulator';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let options: BenchOptions;
  try {
    options = parseBenchOptions(argv);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  pinSelf(DRIVER_CORE);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'enricher-bench-'));
  const { simulator, skipped } = await startSimulatorIfEnricher();
  try {
    const request = buildBenchRequest(simulator?.org ?? syntheticPool());
    const requestFile = path.join(logDir, 'request.bin');
    fs.writeFileSync(requestFile, request.bytes);
    printHeader(options, request, skipped);
    const ctx: BenchContext = { options, request, requestFile, logDir, simulator };

    let ok = true;
    let maxSpansPerSecond: number | undefined;
    for (const section of options.sections) {
      if (section === 'per-core') {
        const r = await perCoreSection(ctx);
        ok &&= r.ok;
        maxSpansPerSecond = r.enricherSpansPerSecond ?? r.passthroughSpansPerSecond;
      } else if (section === 'latency') ok = (await latencySection(ctx, maxSpansPerSecond)).ok && ok;
      else if (section === 'cores') ok = (await coresSection(ctx)).ok && ok;
      else if (section === 'cold-start') ok = (await coldStartSection(ctx)).ok && ok;
      else if (section === 'memory') ok = (await memorySection()).ok && ok;
      else if (section === 'hold') ok = (await holdSection(ctx)).ok && ok;
      else if (section === 'warmup') ok = (await warmupSection(ctx)).ok && ok;
      else if (section === 'fleet') ok = (await fleetSection(ctx)).ok && ok;
    }
    console.log(ok ? '\nevery variant delivered every span it acknowledged' : `\nFAILED: a round lost acknowledged spans or did not run; logs in ${logDir}`);
    if (ok && !process.env.BENCH_KEEP_LOGS) fs.rmSync(logDir, { recursive: true, force: true });
    return ok ? 0 : 1;
  } finally {
    await simulator?.close();
  }
}

/** The simulator when the enricher is built (its variants need it); otherwise why not. */
async function startSimulatorIfEnricher(): Promise<{ simulator?: RunningSimulator; skipped?: string }> {
  const missing = enricherUnavailable();
  if (missing) return { skipped: missing };
  const start = await startBenchSimulator();
  if ('unavailable' in start) return { skipped: `Genesys simulator: ${start.unavailable}` };
  return { simulator: start.simulator };
}

function printHeader(o: BenchOptions, request: BenchRequest, skipped: string | undefined): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const pinning = PINNING_UNAVAILABLE
    ? `no CPU pinning (${PINNING_UNAVAILABLE}): figures are noisier`
    : `subject on core ${SUBJECT_CORE} (sections 1-2); load generator, sink and harness on core ${DRIVER_CORE}`;
  const [load1] = os.loadavg();
  console.log(`genesys-otel-enricher benchmark${o.quick ? ' (--quick)' : ''}: node ${process.version}, ${cpu} x${os.cpus().length}, load average ${load1!.toFixed(2)} at start`);
  console.log(pinning);
  console.log(
    `request: ${request.spans} spans, ${(request.bytes.length / 1024).toFixed(0)} KiB, half with external.user.id (${request.distinctUsers} users); ` +
      `warm-up ${o.warmupMs / 1000} s, measured ${o.durationMs / 1000} s, ${o.rounds} round(s) per variant, alternating; medians; CPU clock ${CLOCK_TICKS_PER_SECOND} Hz`,
  );
  console.log('enricher: the service at its defaults, except ENRICHER_EXPORT_COMPRESSION=none (the passthrough forwards uncompressed) and ENRICHER_OTLP_HTTP_ADDRESS=off');
  if (skipped) console.log(`enricher: SKIPPED, ${skipped}; measuring the passthrough only`);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`benchmark: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
