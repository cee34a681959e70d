/**
 * Profiles the enricher under the benchmark's load: the service runs with
 * `node --cpu-prof` (pinned like in run.ts), the load generator sends the
 * bench request for warm-up plus the window, then the service is stopped
 * (SIGTERM, a clean exit, so V8 writes the profile) and the busiest functions
 * and code groups are printed, as shares of the non-idle samples.
 *
 *   node dist/benchmarks/profile.js [--duration S] [--concurrency N] [--rate R] [--sink-window-kib N] [--keep] [--passthrough] [--env KEY=VALUE ...]
 *
 * --rate R sends R requests per second open loop (as the latency section does;
 * --concurrency then caps the requests in flight) instead of the closed loop.
 * --sink-window-kib N gives the sink an N KiB HTTP/2 receive window (the per-core
 * section's 4MiB-win pair: --sink-window-kib 4096 --env ENRICHER_OTLP_GRPC_WINDOW_KIB=4096
 * --env ENRICHER_EXPORT_CONCURRENCY=16).
 * --passthrough profiles the baseline instead; --env passes more documented
 * environment to the service (e.g. --env ENRICHER_WORKERS=1).
 *
 * The .cpuprofile is kept with --keep (open it in Chrome DevTools).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Child } from './child';
import { summarizeProfile } from './cpuProfile';
import { BENCH_ENRICHER_ENV, enricherUnavailable, enricherVariant } from './enricherVariant';
import type { LoadConfig, LoadDone } from './loadgen';
import { passthroughVariantWith } from './passthroughVariant';
import { DRIVER_CORE, pinned, pinSelf } from './pinning';
import { buildBenchRequest } from './request';
import { startBenchSimulator } from './simulator';
import type { SinkReady } from './sink';
import { cleanEnv } from './subject';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { duration: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '16' }, rate: { type: 'string' }, 'sink-window-kib': { type: 'string' }, keep: { type: 'boolean', default: false }, passthrough: { type: 'boolean', default: false }, env: { type: 'string', multiple: true } },
  });
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(rate > 0 && Number.isFinite(rate))) throw new Error(`--rate must be a positive number of requests per second, got "${values.rate}"`);
  const sinkWindowKib = values['sink-window-kib'] === undefined ? undefined : Number(values['sink-window-kib']);
  if (sinkWindowKib !== undefined && !(Number.isInteger(sinkWindowKib) && sinkWindowKib >= 64)) throw new Error(`--sink-window-kib must be a whole number of KiB >= 64, got "${values['sink-window-kib']}"`);
  const missing = enricherUnavailable();
  if (missing) throw new Error(missing);
  pinSelf(DRIVER_CORE);
  const start = await startBenchSimulator();
  if ('unavailable' in start) throw new Error(start.unavailable);
  const simulator = start.simulator;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enricher-profile-'));
  const started: Child[] = [];
  try {
    const request = buildBenchRequest(simulator.org);
    const requestFile = path.join(dir, 'request.bin');
    fs.writeFileSync(requestFile, request.bytes);
    const sink = new Child({ name: 'sink', argv: pinned(DRIVER_CORE, [process.execPath, path.join(__dirname, 'sink.js'), ...(sinkWindowKib ? ['--window', String(sinkWindowKib * 1024)] : [])]), env: cleanEnv(), logFile: path.join(dir, 'sink.log'), ipc: true });
    started.push(sink);
    const { port } = await sink.next<SinkReady>('ready', 15_000);
    const extraEnv = Object.fromEntries((values.env ?? []).map((kv) => kv.split('=', 2) as [string, string]));
    const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
    const variant = values.passthrough ? passthroughVariantWith({ nodeArgs }) : enricherVariant(simulator, { nodeArgs, env: { ...BENCH_ENRICHER_ENV, ...extraEnv } });
    const subject = await variant.start({ port, pid: sink.pid }, path.join(dir, 'enricher.log'));
    const child = subject.child!;
    started.push(child);
    const config: LoadConfig = {
      target: subject.address,
      requestFile,
      ...(rate === undefined ? { mode: 'closed' } : { mode: 'open', ratePerSecond: rate }),
      concurrency: Number(values.concurrency),
      warmupMs: 2000,
      durationMs: Number(values.duration) * 1000,
      deadlineMs: 10_000,
    };
    const load = new Child({ name: 'loadgen', argv: pinned(DRIVER_CORE, [process.execPath, path.join(__dirname, 'loadgen.js'), '--config', JSON.stringify(config)]), env: cleanEnv(), logFile: path.join(dir, 'loadgen.log'), ipc: true });
    started.push(load);
    const done = await load.next<LoadDone>('done', config.warmupMs + config.durationMs + 60_000);
    await child.stop(15_000);
    const summary = summarizeProfile(dir, 45);
    // The profile spans the process's whole life; start-up is a small part of it.
    const requests = done.result.acked;
    const perRequest = (ms: number) => `${((ms * 1000) / requests).toFixed(0).padStart(6)} µs/req`;
    console.log(`${variant.name} CPU profile: ${requests} requests, ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.busyMs / 1000).toFixed(1)} s busy; shares of busy samples`);
    console.log(`\nby code group (self time; ${perRequest(summary.busyMs).trim()} in all):`);
    for (const g of summary.groups) console.log(`  ${g.percent.toFixed(1).padStart(5)}%  ${perRequest(g.ms)}  ${g.name}`);
    console.log('\nbusiest functions (self time):');
    for (const f of summary.functions) console.log(`  ${f.percent.toFixed(1).padStart(5)}%  ${perRequest(f.ms)}  ${f.name}`);
    if (values.keep) console.log(`\nprofile kept in ${dir}`);
    return 0;
  } finally {
    for (const c of started.reverse()) await c.stop();
    await simulator.close();
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`profile: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
