import path from 'node:path';
import { Child } from './child';
import type { LoadConfig, LoadDone, LoadMeasuring } from './loadgen';
import { DRIVER_CORE, pinned } from './pinning';
import { cpuSeconds, rssBytes } from './procStat';
import type { SinkCountsMessage, SinkReady } from './sink';
import { cleanEnv, type Variant } from './subject';

/** Everything one round needs besides the variant. */
export interface RoundSettings {
  /** 1-based, for log file names. */
  round: number;
  requestFile: string;
  spansPerRequest: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Where the children's logs go. */
  logDir: string;
}

/** Figures of one round of one variant; rates are over the measured window. */
export interface RoundResult {
  variant: string;
  spansPerSecond: number;
  /** Spans per second of the subject's CPU time (user + system, all threads). */
  spansPerCpuSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** VmRSS at the end of the window, MiB. */
  rssMiB: number;
  /** The subject's CPU time over the window's wall time, %: near 100 means the subject was the bottleneck. */
  subjectCpuPercent: number;
  /** Load generator plus sink CPU over wall time, %: near 100 means the driver core was the bottleneck. */
  driverCpuPercent: number;
  /** Spans of every acknowledged request, warm-up included. */
  ackedSpans: number;
  /** Spans the sink received. */
  deliveredSpans: number;
  failedRequests: number;
  firstError?: string;
}

const LOADGEN = path.join(__dirname, 'loadgen.js');
const SINK = path.join(__dirname, 'sink.js');
const DELIVERY_WAIT_MS = 15_000;

/**
 * One round: a fresh sink (driver core), a fresh subject (its own core), and a
 * load generator (driver core) for warm-up plus the measured window. The
 * subject's CPU time is read from /proc at both ends of the window. Afterwards
 * the sink must hold every span the subject acknowledged.
 */
export async function runRound(variant: Variant, s: RoundSettings): Promise<RoundResult> {
  const log = (role: string) => path.join(s.logDir, `round${s.round}-${variant.name}-${role}.log`);
  const started: Child[] = [];
  try {
    const sink = new Child({ name: 'sink', argv: pinned(DRIVER_CORE, [process.execPath, SINK]), env: cleanEnv(), logFile: log('sink'), ipc: true });
    started.push(sink);
    const { port: sinkPort } = await sink.next<SinkReady>('ready', 15_000);
    const subject = await variant.start(sinkPort, log(variant.name));
    started.push(subject.child);

    const config: LoadConfig = { target: subject.address, requestFile: s.requestFile, concurrency: s.concurrency, warmupMs: s.warmupMs, durationMs: s.durationMs, deadlineMs: 10_000 };
    const load = new Child({ name: 'loadgen', argv: pinned(DRIVER_CORE, [process.execPath, LOADGEN, '--config', JSON.stringify(config)]), env: cleanEnv(), logFile: log('loadgen'), ipc: true });
    started.push(load);
    const measuring = await load.next<LoadMeasuring>('measuring', s.warmupMs + 60_000);
    const [cpuStart, sinkCpuStart] = [cpuSeconds(subject.pid), cpuSeconds(sink.pid)];
    const done = await load.next<LoadDone>('done', s.durationMs + 60_000);
    const cpu = cpuSeconds(subject.pid) - cpuStart;
    const driverCpu = cpuSeconds(sink.pid) - sinkCpuStart + done.cpuSeconds - measuring.cpuSeconds;
    const rss = rssBytes(subject.pid);
    const result = done.result;
    const seconds = result.measured.elapsedMs / 1000;
    if (!subject.child.running) throw subject.child.failure('exited during the run');

    const ackedSpans = result.acked * s.spansPerRequest;
    const measuredSpans = result.measured.ok * s.spansPerRequest;
    return {
      variant: variant.name,
      spansPerSecond: measuredSpans / seconds,
      spansPerCpuSecond: measuredSpans / cpu,
      p50Ms: result.measured.p50Ms,
      p99Ms: result.measured.p99Ms,
      rssMiB: rss / 2 ** 20,
      subjectCpuPercent: (100 * cpu) / seconds,
      driverCpuPercent: (100 * driverCpu) / seconds,
      ackedSpans,
      deliveredSpans: await delivered(sink, ackedSpans),
      failedRequests: result.failed,
      firstError: result.firstError,
    };
  } finally {
    for (const child of started.reverse()) await child.stop();
  }
}

/** The sink's span count once it reaches `expected`, or whatever it holds after DELIVERY_WAIT_MS. */
async function delivered(sink: Child, expected: number): Promise<number> {
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  for (;;) {
    sink.send({ type: 'counts' });
    const { spans } = await sink.next<SinkCountsMessage>('counts', 5000);
    if (spans >= expected || Date.now() > deadline) return spans;
    await new Promise((r) => setTimeout(r, 100));
  }
}
