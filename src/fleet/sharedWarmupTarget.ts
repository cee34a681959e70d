import type { WarmupTarget } from '../directory/warmup/directoryWarmup';
import type { GenesysUser } from '../directory/types';
import { normalizeUserId } from '../directory/userId';
import { Coalescer } from './coalescer';
import type { FleetRedis } from './fleetRedis';
import { encodeAnswer, userKey } from './sharedEntry';

/**
 * Where the fleet's warm-up leader puts the users it loads: its own cache,
 * and Redis (written in pipelines of up to 500), where the other replicas'
 * misses find them. A Redis failure loses sharing, not the local entry.
 */
export class SharedWarmupTarget implements WarmupTarget {
  readonly #local: WarmupTarget;
  readonly #redis: FleetRedis;
  readonly #ttlMs: number;
  readonly #writes: Coalescer<GenesysUser, boolean>;

  constructor(options: { local: WarmupTarget; redis: FleetRedis; ttlMs: number }) {
    this.#local = options.local;
    this.#redis = options.redis;
    this.#ttlMs = options.ttlMs;
    this.#writes = new Coalescer((users) => this.#write(users), false);
  }

  set(user: GenesysUser): void {
    this.#local.set(user);
    void this.#writes.add(user);
  }

  async #write(users: readonly GenesysUser[]): Promise<boolean[]> {
    const done = await this.#redis.run((r) => {
      const pipeline = r.pipeline();
      for (const user of users) {
        const id = normalizeUserId(user.id) ?? user.id;
        pipeline.set(this.#redis.key(userKey(`{${id}}`)), encodeAnswer({ status: 'found', user }), 'PX', this.#ttlMs);
      }
      return pipeline.exec();
    });
    return users.map(() => done.ok);
  }
}
