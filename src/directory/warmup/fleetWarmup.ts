import { intOption, requiredOption } from '../options';
import type { Logger } from '../../telemetry/logger';

/** The lease a fleet's replicas compete for (fleet/FleetLease fits). */
export interface WarmupLease {
  readonly leaseMs: number;
  hold(): Promise<'held' | 'other' | 'unavailable'>;
  release(): Promise<void>;
}

/** What runs the load (DirectoryWarmup fits). */
export interface Warmup {
  start(): void;
  ready(): boolean;
  close(): Promise<void>;
}

export interface FleetWarmupOptions {
  readonly lease: WarmupLease;
  /** Builds this replica's warm-up when it becomes the leader (writing to its cache and Redis). Required. */
  readonly warmup: () => Warmup;
  readonly logger: Logger;
  /**
   * How long Redis may be unable to say who leads before this replica warms
   * up on its own (as without a fleet), ms. Default: the lease length.
   */
  readonly aloneAfterMs?: number;
}

/**
 * Warm-up once per fleet: the replica holding the lease loads the org (into
 * its cache and Redis, where the others' misses find it) and keeps renewing
 * the lease; the others do not call Genesys for it, and are ready at once.
 * When the leader dies its lease runs out and another replica takes over.
 * When Redis cannot say who leads for `aloneAfterMs`, each replica warms up
 * on its own, as without a fleet, until a leader is known again.
 */
export class FleetWarmup implements Warmup {
  readonly #lease: WarmupLease;
  readonly #build: () => Warmup;
  readonly #log: Logger;
  readonly #aloneAfterMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Warmup | undefined;
  #unavailableSince: number | undefined;
  #decided = false;
  #closed = false;
  #ticking: Promise<void> | undefined;

  constructor(options: FleetWarmupOptions) {
    requiredOption('FleetWarmup', 'options', options);
    this.#lease = requiredOption('FleetWarmup', 'lease', options.lease);
    this.#build = requiredOption('FleetWarmup', 'warmup', options.warmup);
    this.#log = requiredOption('FleetWarmup', 'logger', options.logger).child({ component: 'directory/warmup' });
    this.#aloneAfterMs = intOption('FleetWarmup', 'aloneAfterMs', options.aloneAfterMs, this.#lease.leaseMs, 0);
  }

  start(): void {
    if (this.#timer || this.#closed) return;
    void this.#tick();
    this.#timer = setInterval(() => void this.#tick(), Math.max(50, Math.floor(this.#lease.leaseMs / 3)));
    this.#timer.unref();
  }

  /** Whether this replica runs the warm-up now. */
  leading(): boolean {
    return this.#running !== undefined;
  }

  /** Leader: its load's readiness. Follower: ready once it knows it follows. */
  ready(): boolean {
    if (this.#running) return this.#running.ready();
    return this.#decided;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#ticking;
    const running = this.#running;
    this.#running = undefined;
    await running?.close();
    if (running) await this.#lease.release();
  }

  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = this.#decide().finally(() => (this.#ticking = undefined));
    await this.#ticking;
  }

  async #decide(): Promise<void> {
    const outcome = await this.#lease.hold();
    if (this.#closed) return;
    if (outcome === 'unavailable') {
      this.#unavailableSince ??= performance.now();
      if (!this.#running && performance.now() - this.#unavailableSince >= this.#aloneAfterMs) this.#lead('Redis cannot say who leads: warming up on this replica alone');
      return;
    }
    this.#unavailableSince = undefined;
    this.#decided = true;
    if (outcome === 'held') this.#lead('leading the fleet\'s directory warm-up');
    else if (this.#running) {
      const running = this.#running;
      this.#running = undefined;
      this.#log.info('another replica leads the directory warm-up: stopping this one');
      await running.close();
    }
  }

  #lead(why: string): void {
    if (this.#running) return;
    this.#log.info(why);
    this.#running = this.#build();
    this.#running.start();
    this.#decided = true;
  }
}
