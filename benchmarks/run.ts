/**
 * Enricher vs. a plain grpc-js pass-through, measured in one run on one machine.
 * `npm run bench` for figures, `--quick` for CI (checks that the harness and
 * both variants work and lose nothing). Method and reading: benchmarks/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enricherUnavailable, enricherVariant } from './enricherVariant';
import { parseBenchOptions, USAGE, type BenchOptions } from './options';
import { passthroughVariant } from './passthroughVariant';
import { DRIVER_CORE, PINNING_UNAVAILABLE, pinSelf, SUBJECT_CORE } from './pinning';
import { CLOCK_TICKS_PER_SECOND } from './procStat';
import { roundLine, summaryTable } from './report';
import { buildBenchRequest, syntheticPool, type BenchRequest } from './request';
import { runRound, type RoundResult } from './round';
import { startBenchSimulator } from './simulator';
import type { Variant } from './subject';
import type { RunningSimulator } from '../src/simulator/types';

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
  const { variants, simulator, skipped } = await chooseVariants();
  try {
    const request = buildBenchRequest(simulator?.org ?? syntheticPool());
    const requestFile = path.join(logDir, 'request.bin');
    fs.writeFileSync(requestFile, request.bytes);
    printHeader(options, request, skipped);

    const results = new Map<string, RoundResult[]>(variants.map((v) => [v.name, []]));
    let ok = true;
    for (let round = 1; round <= options.rounds; round++) {
      for (const variant of variants) {
        const settings = { round, requestFile, spansPerRequest: request.spans, logDir, ...options };
        try {
          const r = await runRound(variant, settings);
          results.get(variant.name)!.push(r);
          console.log(roundLine(round, r));
          if (r.ackedSpans === 0 || r.deliveredSpans < r.ackedSpans) ok = false;
        } catch (e) {
          ok = false;
          console.log(`round ${round} ${variant.name}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    const finished = new Map([...results].filter(([, rs]) => rs.length > 0));
    if (finished.size > 0) console.log(`\n${summaryTable(finished)}\n`);
    console.log(ok ? 'every variant delivered every span it acknowledged' : `FAILED: a round lost acknowledged spans or did not run; logs in ${logDir}`);
    if (ok) fs.rmSync(logDir, { recursive: true, force: true });
    return ok ? 0 : 1;
  } finally {
    await simulator?.close();
  }
}

/** The passthrough always; the enricher when it is built and the simulator starts. */
async function chooseVariants(): Promise<{ variants: Variant[]; simulator?: RunningSimulator; skipped?: string }> {
  const missing = enricherUnavailable();
  if (missing) return { variants: [passthroughVariant], skipped: missing };
  const start = await startBenchSimulator();
  if ('unavailable' in start) return { variants: [passthroughVariant], skipped: `Genesys simulator: ${start.unavailable}` };
  return { variants: [passthroughVariant, enricherVariant(start.simulator)], simulator: start.simulator };
}

function printHeader(o: BenchOptions, request: BenchRequest, skipped: string | undefined): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const pinning = PINNING_UNAVAILABLE
    ? `no CPU pinning (${PINNING_UNAVAILABLE}): figures are noisier`
    : `subject on core ${SUBJECT_CORE}; load generator, sink and harness on core ${DRIVER_CORE}`;
  console.log(`genesys-otel-enricher benchmark${o.quick ? ' (--quick)' : ''}: node ${process.version}, ${cpu} x${os.cpus().length}`);
  console.log(pinning);
  console.log(
    `request: ${request.spans} spans, ${(request.bytes.length / 1024).toFixed(0)} KiB, half with external.user.id (${request.distinctUsers} users); ` +
      `concurrency ${o.concurrency}, warm-up ${o.warmupMs / 1000} s, measured ${o.durationMs / 1000} s, ${o.rounds} round(s) per variant; CPU clock ${CLOCK_TICKS_PER_SECOND} Hz`,
  );
  if (skipped) console.log(`enricher: SKIPPED, ${skipped}; measuring the passthrough only`);
  console.log('');
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`benchmark: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
