import { randomUUID } from 'node:crypto';
import type { IdentityCache } from '../deactivation/steps/types';
import type { GenesysUser, Resolution } from '../directory/types';
import { normalizeUserId } from '../directory/userId';
import type { Logger } from '../telemetry/logger';
import type { FleetRedis } from './fleetRedis';
import { CHANGES_CHANNEL, decodeChange, encodeAnswer, encodeChange, userKey } from './sharedEntry';

/** The local cache a replica keeps in front of Redis (CachedIdentityResolver fits). */
export interface LocalCache extends IdentityCache {
  set(user: GenesysUser): void;
}

export interface FleetCacheOptions {
  readonly redis: FleetRedis;
  readonly local: LocalCache;
  /** How long the shared entry of a changed user stays, ms (the cache TTL). Default 600,000. */
  readonly ttlMs?: number;
  readonly logger: Logger;
}

/** Counters since construction. */
export interface FleetCacheStats {
  /** Changes this replica announced (deactivations, reactivations). */
  readonly published: number;
  /** Changes announced by other replicas and applied here. */
  readonly applied: number;
  /** Announcements that could not reach Redis (the other replicas learn at their TTL). */
  readonly publishFailures: number;
}

/**
 * What a deactivation run refreshes when the service is part of a fleet: the
 * local cache, then the shared Redis entry, then an announcement on the
 * changes channel that every replica applies to its own local cache, so the
 * next span anywhere carries the new state. `listen()` subscribes this
 * replica to the others' announcements. Redis down: the local cache still
 * changes; the others see it when their entries expire (counted, logged once).
 */
export class FleetCache implements IdentityCache {
  readonly #redis: FleetRedis;
  readonly #local: LocalCache;
  readonly #ttlMs: number;
  readonly #logger: Logger;
  readonly #origin = randomUUID();
  #published = 0;
  #applied = 0;
  #publishFailures = 0;

  constructor(options: FleetCacheOptions) {
    this.#redis = options.redis;
    this.#local = options.local;
    this.#ttlMs = options.ttlMs ?? 600_000;
    this.#logger = options.logger;
  }

  /** Applies the other replicas' announcements to the local cache from now on. */
  listen(): void {
    this.#redis.subscribe(CHANGES_CHANNEL, (message) => {
      const change = decodeChange(message);
      if (!change || change.origin === this.#origin) return;
      const id = normalizeUserId(change.user.id);
      if (id === undefined) return;
      const held = this.#local.peek(id);
      // An older announcement arriving late must not undo a newer state.
      if (held?.status === 'found' && held.user.version !== undefined && change.user.version !== undefined && held.user.version > change.user.version) return;
      this.#local.set(change.user);
      this.#applied++;
    });
  }

  /** Caches `user` here, in Redis, and on every replica; resolves once announced (or once Redis failed). */
  async set(user: GenesysUser): Promise<void> {
    this.#local.set(user);
    const id = normalizeUserId(user.id) ?? user.id;
    const key = this.#redis.key(userKey(`{${id}}`));
    const entry = encodeAnswer({ status: 'found', user });
    const message = encodeChange({ origin: this.#origin, user });
    const channel = this.#redis.key(CHANGES_CHANNEL);
    const done = await this.#redis.run((r) => r.multi().set(key, entry, 'PX', this.#ttlMs).publish(channel, message).exec());
    if (done.ok) {
      this.#published++;
      return;
    }
    this.#publishFailures++;
    this.#logger.warn({ userId: id }, 'could not announce a changed user to the fleet (Redis unavailable): other replicas show the new state when their cache entry expires');
  }

  peek(id: string): Resolution | undefined {
    return this.#local.peek(id);
  }

  resolve(ids: readonly string[]): Promise<ReadonlyMap<string, Resolution>> {
    return this.#local.resolve(ids);
  }

  stats(): FleetCacheStats {
    return { published: this.#published, applied: this.#applied, publishFailures: this.#publishFailures };
  }
}
