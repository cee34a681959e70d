import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../telemetry/logger';
import { isMessage, isWorkerReady, type MetricsCollect, type MetricsReport, type MetricsRequest, type MetricsResponse, type StopWorker, type WorkerReady } from './messages';
import { aggregateWorkerMetrics, type WorkerFamilies } from './metricsAggregate';

/** How long the primary waits for every worker's figures before aggregating those it has, ms. */
const COLLECT_TIMEOUT_MS = 2000;

export interface ClusterSupervisorOptions {
  /** Worker processes to keep running, >= 1. */
  readonly workers: number;
  readonly logger: Logger;
  /** More environment for every worker, on top of the primary's (e.g. the embedded simulator's URL). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long workers get to stop once asked, ms; stragglers are killed. */
  readonly stopTimeoutMs: number;
  /** Unexpected worker exits replaced per minute; one more and `failed` resolves. Default 5. */
  readonly maxRestartsPerMinute?: number;
}

/**
 * The node:cluster primary's side: forks the workers (each runs the whole
 * service; the primary holds the listening sockets and hands connections to
 * them round-robin), waits until each reports it serves, replaces workers
 * that die, and stops them all, in parallel, when asked.
 *
 * Connections, not requests, are balanced: one client connection is served
 * by one worker for its lifetime, so a single upstream connection uses one
 * core (see docs/performance.md).
 */
export class ClusterSupervisor {
  readonly #o: ClusterSupervisorOptions;
  readonly #log: Logger;
  readonly #live = new Set<Worker>();
  readonly #restarts: number[] = [];
  #stopping = false;
  #giveUp: (reason: string) => void = () => undefined;
  /** Resolves (with the reason) when workers keep dying and the supervisor gives up. */
  readonly failed: Promise<string>;
  #ports: Omit<WorkerReady, 'type'> | undefined;
  #collections = 0;
  readonly #reports = new Map<number, (worker: number, report: MetricsReport) => void>();

  constructor(options: ClusterSupervisorOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`ClusterSupervisor: workers must be an integer >= 1, got ${options.workers}`);
    this.#o = options;
    this.#log = options.logger.child({ component: 'cluster' });
    this.failed = new Promise((resolve) => (this.#giveUp = resolve));
  }

  /** Ports the workers reported (all share them); undefined before `start` resolves. */
  get ports(): Omit<WorkerReady, 'type'> | undefined {
    return this.#ports;
  }

  /** Forks every worker; resolves when all serve, rejects when one exits first. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.#o.workers }, () => this.#fork()));
  }

  /**
   * Asks every worker to stop (they drain in parallel), waits up to
   * `stopTimeoutMs`, kills the rest. Resolves true when every worker exited 0.
   */
  async stop(): Promise<boolean> {
    this.#stopping = true;
    const workers = [...this.#live];
    const exits = workers.map((w) => exitOf(w));
    for (const w of workers) {
      if (w.isConnected()) w.send({ type: 'enricher:stop' } satisfies StopWorker);
      else w.process.kill('SIGTERM');
    }
    const timer = setTimeout(() => {
      for (const w of workers) {
        if (!w.isDead()) {
          this.#log.error({ worker: w.id, stopTimeoutMs: this.#o.stopTimeoutMs }, 'worker did not stop in time; killing it');
          w.process.kill('SIGKILL');
        }
      }
    }, this.#o.stopTimeoutMs);
    const codes = await Promise.all(exits);
    clearTimeout(timer);
    return codes.every((c) => c === 0);
  }

  #fork(): Promise<void> {
    const worker = cluster.fork({ ...this.#o.env });
    this.#live.add(worker);
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (m: unknown) => {
        if (isMessage<MetricsRequest>(m, 'enricher:metrics-request')) return void this.#answerScrape(worker, m.id);
        if (isMessage<MetricsReport>(m, 'enricher:metrics-report')) return this.#reports.get(m.id)?.(worker.id, m);
        if (!isWorkerReady(m) || ready) return;
        ready = true;
        this.#ports ??= { grpcPort: m.grpcPort, adminPort: m.adminPort };
        this.#log.info({ worker: worker.id, workerPid: worker.process.pid }, 'worker serving');
        resolve();
      });
      worker.once('exit', (code, signal) => {
        this.#live.delete(worker);
        if (!ready) return reject(new Error(`worker ${worker.id} exited (${signal ?? `code ${code}`}) before it served; see its log above`));
        if (!this.#stopping) this.#replace(worker, code, signal);
      });
    });
  }

  // A scrape reached `asker`: collect every live worker's figures (those that answer in time), aggregate, answer.
  async #answerScrape(asker: Worker, requestId: number): Promise<void> {
    const id = ++this.#collections;
    const workers = [...this.#live].filter((w) => w.isConnected());
    const got: WorkerFamilies[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, COLLECT_TIMEOUT_MS);
      this.#reports.set(id, (worker, report) => {
        got.push({ worker, families: report.families });
        if (got.length === workers.length) {
          clearTimeout(timer);
          resolve();
        }
      });
      for (const w of workers) w.send({ type: 'enricher:metrics-collect', id } satisfies MetricsCollect);
    });
    this.#reports.delete(id);
    got.sort((a, b) => a.worker - b.worker);
    const missing = workers.length - got.length;
    const note = missing > 0 ? `# ${missing} of ${workers.length} workers did not report within ${COLLECT_TIMEOUT_MS} ms\n` : '';
    if (asker.isConnected()) asker.send({ type: 'enricher:metrics-response', id: requestId, text: note + aggregateWorkerMetrics(got).render() } satisfies MetricsResponse);
  }

  #replace(worker: Worker, code: number | null, signal: string | null): void {
    const now = Date.now();
    while (this.#restarts.length > 0 && now - this.#restarts[0]! > 60_000) this.#restarts.shift();
    if (this.#restarts.length >= (this.#o.maxRestartsPerMinute ?? 5)) {
      this.#giveUp(`workers exited ${this.#restarts.length + 1} times within a minute`);
      return;
    }
    this.#restarts.push(now);
    this.#log.error({ worker: worker.id, code, signal }, 'worker exited unexpectedly; starting a replacement');
    this.#fork().catch((err: unknown) => this.#giveUp(err instanceof Error ? err.message : String(err)));
  }
}

function exitOf(worker: Worker): Promise<number | null> {
  if (worker.isDead()) return Promise.resolve(worker.process.exitCode);
  return new Promise((resolve) => worker.once('exit', (code) => resolve(code)));
}
