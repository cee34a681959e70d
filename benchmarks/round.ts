import path from 'node:path';
import { Child } from './child';
import type { LoadConfig, LoadDone, LoadMeasuring, LoadWindowEnd } from './loadgen';
import { DRIVER_CORE, pinned } from './pinning';
import { treeCpuSeconds, treeRssBytes } from './procStat';
import type { SinkArrivalsMessage, SinkCountsMessage, SinkReady } from './sink';
import { percentile } from './stats';
import { cleanEnv, type Variant } from './subject';

/** How the load generator drives one round (its target and request file are filled in by the round). */
export type LoadShape = Omit<LoadConfig, 'target' | 'requestFile' | 'warmupMs' | 'durationMs' | 'deadlineMs'>;

/** Everything one round needs besides the variant. */
export interface RoundSettings {
  /** 1-based, for log file names. */
  round: number;
  /** Short name of the section, for log file names. */
  section: string;
  requestFile: string;
  spansPerRequest: number;
  load: LoadShape;
  warmupMs: number;
  durationMs: number;
  /** Where the children's logs go. */
  logDir: string;
  /** HTTP/2 receive window of the sink, bytes; undefined keeps grpc-js's 64 KiB. */
  sinkWindowBytes?: number;
}

/** Figures of one round of one variant; rates are over the measured window. */
export interface RoundResult {
  variant: string;
  /** Spans the sink received per second of the window (what got through, not what was acknowledged). */
  spansPerSecond: number;
  /** Those spans per second of the subject's CPU time (user + system, all threads, all its processes). */
  spansPerCpuSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Stamped rounds: from the send (or when it was due) to the spans' arrival at the sink, ms; NaN otherwise. */
  deliveryP50Ms: number;
  deliveryP99Ms: number;
  /** VmRSS at the end of the window (summed over its processes), MiB. */
  rssMiB: number;
  /** The subject's CPU time over the window's wall time, %: near 100 per core used means it was the bottleneck. */
  subjectCpuPercent: number;
  /** Load generator plus sink CPU over wall time, %: near 100 means the driver core was the bottleneck. */
  driverCpuPercent: number;
  /** Spans of every acknowledged request, warm-up included. */
  ackedSpans: number;
  /** Spans the sink received. */
  deliveredSpans: number;
  failedRequests: number;
  /** Open loop: sends skipped because `concurrency` requests were already in flight. */
  skippedRequests: number;
  firstError?: string;
}

const LOADGEN = path.join(__dirname, 'loadgen.js');
const SINK = path.join(__dirname, 'sink.js');
const DELIVERY_WAIT_MS = 15_000;

/**
 * One round: a fresh sink (driver core), a fresh subject, and a load
 * generator (driver core) for warm-up plus the measured window. At both ends
 * of the window the subject's CPU time is read from /proc and the sink's span
 * count over IPC, so throughput is what reached the sink during the window,
 * with the CPU spent on it. Afterwards the sink must hold every span the
 * subject acknowledged.
 */
export async function runRound(variant: Variant, s: RoundSettings): Promise<RoundResult> {
  const log = (role: string) => path.join(s.logDir, `${s.section}-round${s.round}-${variant.name.replace(/[^\w.-]+/g, '_')}-${role}.log`);
  const started: Child[] = [];
  try {
    const sinkWindow = variant.sinkWindowBytes ?? s.sinkWindowBytes;
    const sinkArgs = [process.execPath, SINK, ...(sinkWindow ? ['--window', String(sinkWindow)] : [])];
    const sink = new Child({ name: 'sink', argv: pinned(DRIVER_CORE, sinkArgs), env: cleanEnv(), logFile: log('sink'), ipc: true });
    started.push(sink);
    const { port: sinkPort } = await sink.next<SinkReady>('ready', 15_000);
    const subject = await variant.start({ port: sinkPort, pid: sink.pid }, log('subject'));
    if (subject.child) started.push(subject.child);

    const config: LoadConfig = { ...s.load, target: subject.address, requestFile: s.requestFile, warmupMs: s.warmupMs, durationMs: s.durationMs, deadlineMs: 10_000 };
    const load = new Child({ name: 'loadgen', argv: pinned(DRIVER_CORE, [process.execPath, LOADGEN, '--config', JSON.stringify(config)]), env: cleanEnv(), logFile: log('loadgen'), ipc: true });
    started.push(load);
    const measuring = await load.next<LoadMeasuring>('measuring', s.warmupMs + 60_000);
    const start = { t: performance.now(), cpu: treeCpuSeconds(subject.pid), sinkCpu: treeCpuSeconds(sink.pid), spans: await sinkSpans(sink) };
    const windowEnd = await load.next<LoadWindowEnd>('window-end', s.durationMs + 60_000);
    const end = { t: performance.now(), cpu: treeCpuSeconds(subject.pid), sinkCpu: treeCpuSeconds(sink.pid), spans: await sinkSpans(sink) };
    const rss = treeRssBytes(subject.pid);
    const done = await load.next<LoadDone>('done', 60_000);
    if (subject.child && !subject.child.running) throw subject.child.failure('exited during the run');

    const seconds = (end.t - start.t) / 1000;
    const cpu = subject.child ? end.cpu - start.cpu : end.sinkCpu - start.sinkCpu;
    const driverCpu = end.sinkCpu - start.sinkCpu + windowEnd.cpuSeconds - measuring.cpuSeconds;
    const windowSpans = end.spans - start.spans;
    const ackedSpans = done.result.acked * s.spansPerRequest;
    return {
      variant: variant.name,
      spansPerSecond: windowSpans / seconds,
      spansPerCpuSecond: windowSpans / cpu,
      p50Ms: done.result.measured.p50Ms,
      p99Ms: done.result.measured.p99Ms,
      ...(await deliveryLatency(sink, done.result.sends)),
      rssMiB: rss / 2 ** 20,
      subjectCpuPercent: (100 * cpu) / seconds,
      driverCpuPercent: (100 * (subject.child ? driverCpu : driverCpu - cpu)) / seconds,
      ackedSpans,
      deliveredSpans: await delivered(sink, ackedSpans),
      failedRequests: done.result.failed,
      skippedRequests: done.result.measured.skipped,
      firstError: done.result.firstError,
    };
  } finally {
    for (const child of started.reverse()) await child.stop();
  }
}

/** Percentiles of arrival - send over the stamped requests of the window (after every span has arrived). */
async function deliveryLatency(sink: Child, sends: [number, number][] | undefined): Promise<{ deliveryP50Ms: number; deliveryP99Ms: number }> {
  if (!sends || sends.length === 0) return { deliveryP50Ms: NaN, deliveryP99Ms: NaN };
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  let arrivals = new Map<number, number>();
  while (Date.now() < deadline) {
    sink.send({ type: 'arrivals' });
    arrivals = new Map((await sink.next<SinkArrivalsMessage>('arrivals', 5000)).arrivals);
    if (sends.every(([seq]) => arrivals.has(seq))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const latencies = sends.filter(([seq]) => arrivals.has(seq)).map(([seq, sent]) => arrivals.get(seq)! - sent).sort((a, b) => a - b);
  return { deliveryP50Ms: percentile(latencies, 50), deliveryP99Ms: percentile(latencies, 99) };
}

async function sinkSpans(sink: Child): Promise<number> {
  sink.send({ type: 'counts' });
  return (await sink.next<SinkCountsMessage>('counts', 5000)).spans;
}

/** The sink's span count once it reaches `expected`, or whatever it holds after DELIVERY_WAIT_MS. */
async function delivered(sink: Child, expected: number): Promise<number> {
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  for (;;) {
    const spans = await sinkSpans(sink);
    if (spans >= expected || Date.now() > deadline) return spans;
    await new Promise((r) => setTimeout(r, 100));
  }
}
