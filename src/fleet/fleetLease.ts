import { randomUUID } from 'node:crypto';
import { intOption, requiredOption } from '../directory/options';
import type { FleetRedis } from './fleetRedis';

/** What asking for the lease came to: this replica holds it, another one does, or Redis could not say. */
export type LeaseOutcome = 'held' | 'other' | 'unavailable';

export interface FleetLeaseOptions {
  readonly redis: FleetRedis;
  /** Key name (prefixed), one per job, e.g. `lease:warmup`. Required. */
  readonly name: string;
  /** How long the lease lasts without renewal, ms: a holder that died is replaced after this. Default 30,000. */
  readonly leaseMs?: number;
}

// KEYS: lease. ARGV: token, lease ms. 1 when the lease is (now) ours, renewed; 0 when another replica holds it.
const HOLD = `local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * A leader lease through Redis: whoever holds the key does the job for the
 * fleet and renews it by calling `hold()` well within `leaseMs`; when the
 * holder stops renewing (it died, or lost Redis), another replica's `hold()`
 * takes it over once the lease ran out.
 */
export class FleetLease {
  readonly leaseMs: number;
  readonly #redis: FleetRedis;
  readonly #key: string;
  readonly #token = randomUUID();

  constructor(options: FleetLeaseOptions) {
    requiredOption('FleetLease', 'options', options);
    this.#redis = requiredOption('FleetLease', 'redis', options.redis);
    this.#key = this.#redis.key(requiredOption('FleetLease', 'name', options.name));
    this.leaseMs = intOption('FleetLease', 'leaseMs', options.leaseMs, 30_000, 100);
    this.#redis.defineScript('enricherLeaseHold', HOLD);
    this.#redis.defineScript('enricherLeaseRelease', RELEASE);
  }

  /** Takes or renews the lease. */
  async hold(): Promise<LeaseOutcome> {
    const held = await this.#redis.script<number>('enricherLeaseHold', [this.#key], [this.#token, this.leaseMs]);
    if (!held.ok) return 'unavailable';
    return held.value === 1 ? 'held' : 'other';
  }

  /** Gives the lease up at once (shutdown), if this replica holds it. */
  async release(): Promise<void> {
    await this.#redis.script('enricherLeaseRelease', [this.#key], [this.#token]);
  }
}
