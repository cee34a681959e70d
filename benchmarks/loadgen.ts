import * as grpc from '@grpc/grpc-js';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { exportRaw, MAX_MESSAGE_BYTES } from './rawTraceService';
import { percentile } from './stats';

/** What the load generator does; passed to the child as JSON (`--config`). */
export interface LoadConfig {
  /** host:port of the process under test. */
  target: string;
  /** File holding the one encoded ExportTraceServiceRequest sent over and over. */
  requestFile: string;
  /** Requests in flight at any time. */
  concurrency: number;
  /** Load before measuring (also fills the enricher's cache), ms. */
  warmupMs: number;
  /** Measured window, ms: requests started in it are counted. */
  durationMs: number;
  /** Per-request deadline, ms. */
  deadlineMs: number;
}

export interface LoadResult {
  /** Requests started inside the measured window. */
  measured: { ok: number; failed: number; elapsedMs: number; p50Ms: number; p99Ms: number };
  /** Whole run, warm-up included: what the sink must have received (in spans: times spans per request). */
  acked: number;
  failed: number;
  firstError?: string;
}

/** Messages the child sends at the start of the measured window and at its end, with its own CPU time so far (seconds). */
export type LoadMeasuring = { type: 'measuring'; cpuSeconds: number };
export type LoadDone = { type: 'done'; result: LoadResult; cpuSeconds: number };

/**
 * Closed-loop load: `concurrency` workers each send the same request, wait for
 * the answer and send again, for warm-up plus the measured window. Latency is
 * the client-side time of each measured request; the measured window ends when
 * the last request started in it has answered.
 */
export async function runLoad(config: LoadConfig, request: Buffer, onMeasuring: () => void): Promise<LoadResult> {
  const client = new grpc.Client(config.target, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
  await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 30_000, (e) => (e ? reject(e) : resolve())));
  const latencies: number[] = [];
  const result: LoadResult = { measured: { ok: 0, failed: 0, elapsedMs: 0, p50Ms: NaN, p99Ms: NaN }, acked: 0, failed: 0 };
  let phase: 'warmup' | 'measure' | 'stop' = 'warmup';
  let windowStart = 0n;

  const worker = async (): Promise<void> => {
    while (phase !== 'stop') {
      const inWindow = phase === 'measure';
      const t0 = process.hrtime.bigint();
      const ok = await exportRaw(client, request, config.deadlineMs).then(
        () => true,
        (e: Error) => ((result.firstError ??= e.message), false),
      );
      if (ok) result.acked++;
      else result.failed++;
      if (!inWindow) continue;
      if (ok) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (ok) result.measured.ok++;
      else result.measured.failed++;
    }
  };

  const warmup = setTimeout(() => {
    phase = 'measure';
    windowStart = process.hrtime.bigint();
    onMeasuring();
    setTimeout(() => (phase = 'stop'), config.durationMs);
  }, config.warmupMs);
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  clearTimeout(warmup);
  client.close();

  latencies.sort((a, b) => a - b);
  result.measured.elapsedMs = Number(process.hrtime.bigint() - windowStart) / 1e6;
  result.measured.p50Ms = percentile(latencies, 50);
  result.measured.p99Ms = percentile(latencies, 99);
  return result;
}

/** Child-process entry: `loadgen.js --config <json>`; sends `measuring`, then `done`, then exits. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' } } });
  const config = JSON.parse(values.config ?? 'null') as LoadConfig | null;
  if (!config) throw new Error('loadgen: --config <json> is required');
  const request = fs.readFileSync(config.requestFile);
  const result = await runLoad(config, request, () => process.send!({ type: 'measuring', cpuSeconds: ownCpuSeconds() } satisfies LoadMeasuring));
  process.send!({ type: 'done', result, cpuSeconds: ownCpuSeconds() } satisfies LoadDone, () => process.exit(0));
}

function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`loadgen: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
