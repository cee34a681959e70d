import * as grpc from '@grpc/grpc-js';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { exportRaw, MAX_MESSAGE_BYTES } from './rawTraceService';
import { firstTraceIdOffset, monotonicMs, writeStamp } from './stamp';
import { percentile } from './stats';

/** What the load generator does; passed to the child as JSON (`--config`). */
export interface LoadConfig {
  /** host:port of the process under test. */
  target: string;
  /** File holding the one encoded ExportTraceServiceRequest sent over and over. */
  requestFile: string;
  /**
   * Closed loop: `concurrency` workers each send, wait for the answer, send
   * again. Open loop: requests leave at `ratePerSecond`, evenly spaced,
   * whether earlier ones have been answered or not (at most `concurrency`
   * in flight; a send due beyond that is counted as skipped).
   */
  mode: 'closed' | 'open';
  /** Requests in flight (closed loop), or the cap on them (open loop). */
  concurrency: number;
  /** Open loop only: requests per second. */
  ratePerSecond?: number;
  /** HTTP/2 connections the requests are spread over (a worker per connection round-robin). Default 1. */
  connections?: number;
  /** Load before measuring (also fills the enricher's cache), ms. */
  warmupMs: number;
  /** Measured window, ms: requests started in it are counted. */
  durationMs: number;
  /** Per-request deadline, ms. */
  deadlineMs: number;
  /**
   * Stamp each request with its sequence number (stamp.ts) and report when
   * each was sent, for end-to-end latency. Costs a copy of the request per send.
   */
  stamp?: boolean;
}

export interface LoadResult {
  /** Requests started inside the measured window. */
  measured: { ok: number; failed: number; skipped: number; p50Ms: number; p99Ms: number };
  /** Whole run, warm-up included: what the sink must have received (in spans: times spans per request). */
  acked: number;
  failed: number;
  firstError?: string;
  /** With `stamp`: [sequence number, monotonicMs when it was sent or due] of each request started in the window. */
  sends?: [number, number][];
}

/**
 * Messages the child sends: at the start of the measured window, at its end
 * (before waiting for the requests still in flight), and when done; each
 * with its own CPU time so far (seconds).
 */
export type LoadMeasuring = { type: 'measuring'; cpuSeconds: number };
export type LoadWindowEnd = { type: 'window-end'; cpuSeconds: number };
export type LoadDone = { type: 'done'; result: LoadResult; cpuSeconds: number };

type Phase = 'warmup' | 'measure' | 'stop';

/**
 * Sends `request` to `config.target` for warm-up plus the measured window.
 * Latency is client-side: from the send (closed loop) or from the time the
 * send was due (open loop, so a late send counts as latency, not as a
 * missing sample).
 */
export async function runLoad(config: LoadConfig, request: Buffer, on: { measuring(): void; windowEnd(): void }): Promise<LoadResult> {
  const clients = Array.from({ length: Math.max(1, config.connections ?? 1) }, () =>
    // A local subchannel pool gives each client its own connection.
    new grpc.Client(config.target, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': MAX_MESSAGE_BYTES, 'grpc.use_local_subchannel_pool': 1 }),
  );
  await Promise.all(clients.map((c) => new Promise<void>((resolve, reject) => c.waitForReady(Date.now() + 30_000, (e) => (e ? reject(e) : resolve())))));
  const latencies: number[] = [];
  const result: LoadResult = { measured: { ok: 0, failed: 0, skipped: 0, p50Ms: NaN, p99Ms: NaN }, acked: 0, failed: 0 };
  const state = { phase: 'warmup' as Phase, sent: 0 };

  const stampAt = config.stamp ? firstTraceIdOffset(request) : -1;
  if (config.stamp && stampAt < 0) throw new Error('loadgen: the request has no first-span trace id to stamp');
  const sends: [number, number][] = [];
  if (config.stamp) result.sends = sends;

  /** One request; `since` is when it was sent, or due (performance.now). */
  const send = async (since: number, inWindow: boolean): Promise<void> => {
    const seq = state.sent++;
    const client = clients[seq % clients.length]!;
    let body = request;
    if (stampAt >= 0) {
      body = Buffer.from(request);
      writeStamp(body, stampAt, seq);
      if (inWindow) sends.push([seq, monotonicMs() - (performance.now() - since)]);
    }
    const ok = await exportRaw(client, body, config.deadlineMs).then(
      () => true,
      (e: Error) => ((result.firstError ??= e.message), false),
    );
    if (ok) result.acked++;
    else result.failed++;
    if (!inWindow) return;
    if (ok) latencies.push(performance.now() - since);
    if (ok) result.measured.ok++;
    else result.measured.failed++;
  };

  const phases = new Promise<void>((resolve) => {
    setTimeout(() => {
      state.phase = 'measure';
      on.measuring();
      setTimeout(() => {
        state.phase = 'stop';
        on.windowEnd();
        resolve();
      }, config.durationMs);
    }, config.warmupMs);
  });
  if (config.mode === 'open') await openLoop(config, state, send, (n) => (result.measured.skipped += n));
  else await Promise.all(Array.from({ length: config.concurrency }, () => closedWorker(state, send)));
  await phases;
  for (const c of clients) c.close();

  latencies.sort((a, b) => a - b);
  result.measured.p50Ms = percentile(latencies, 50);
  result.measured.p99Ms = percentile(latencies, 99);
  return result;
}

async function closedWorker(state: { phase: Phase }, send: (since: number, inWindow: boolean) => Promise<void>): Promise<void> {
  while (state.phase !== 'stop') await send(performance.now(), state.phase === 'measure');
}

/** Sends at `ratePerSecond` until the window ends, then waits for the answers. */
async function openLoop(config: LoadConfig, state: { phase: Phase }, send: (since: number, inWindow: boolean) => Promise<void>, skipped: (n: number) => void): Promise<void> {
  const rate = config.ratePerSecond ?? 0;
  if (!(rate > 0)) throw new Error('loadgen: open loop needs ratePerSecond > 0');
  const interval = 1000 / rate;
  const inFlight = new Set<Promise<void>>();
  let due = performance.now();
  while (state.phase !== 'stop') {
    const now = performance.now();
    while (due <= now) {
      const inWindow = state.phase === 'measure';
      if (inFlight.size >= config.concurrency) {
        if (inWindow) skipped(1);
      } else {
        const p: Promise<void> = send(due, inWindow).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      due += interval;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  }
  await Promise.all(inFlight);
}

/** Child-process entry: `loadgen.js --config <json>`; sends `measuring`, `window-end`, then `done`, then exits. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' } } });
  const config = JSON.parse(values.config ?? 'null') as LoadConfig | null;
  if (!config) throw new Error('loadgen: --config <json> is required');
  const request = fs.readFileSync(config.requestFile);
  const result = await runLoad(config, request, {
    measuring: () => process.send!({ type: 'measuring', cpuSeconds: ownCpuSeconds() } satisfies LoadMeasuring),
    windowEnd: () => process.send!({ type: 'window-end', cpuSeconds: ownCpuSeconds() } satisfies LoadWindowEnd),
  });
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
