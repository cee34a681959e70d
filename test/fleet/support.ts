/** Shared pieces of the fleet tests: a replica's Redis connection, a counting look-up, waiting for a condition. */
import type { LoadedResolution, SingleLookup } from '../../src/directory/cache/cachedIdentityResolver';
import type { Resolution } from '../../src/directory/types';
import { FleetRedis } from '../../src/fleet/fleetRedis';
import { silentLogger } from '../../src/telemetry/logger';

/** One replica's connection, started and connected. */
export async function connectedRedis(url: string, options: { waitMs?: number; keyPrefix?: string; breakerCooldownMs?: number } = {}): Promise<FleetRedis> {
  const redis = new FleetRedis({ url, logger: silentLogger(), maxReconnectDelayMs: 200, ...options });
  redis.start();
  await until(() => redis.stats().connected);
  return redis;
}

/** A look-up standing in for "this process asks Genesys": counts its calls, answers after `delayMs`. */
export class CountingLookup implements SingleLookup {
  calls: string[] = [];
  constructor(
    private readonly answer: (id: string) => Resolution,
    private readonly delayMs = 30,
  ) {}
  async load(id: string): Promise<LoadedResolution> {
    this.calls.push(id);
    await new Promise((r) => setTimeout(r, this.delayMs));
    return this.answer(id);
  }
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A Genesys-looking user id (lower-case UUID). */
export function userId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
