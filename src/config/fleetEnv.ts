import type { EnvReader } from './parse';
import type { FleetConfig } from './types';

/** The variables read here, in ENV_VARS order. */
export const FLEET_ENV_VARS = [
  'ENRICHER_REDIS_URL',
  'ENRICHER_REDIS_WAIT_MS',
  'ENRICHER_REDIS_KEY_PREFIX',
  'ENRICHER_REDIS_LOCK_WAIT_MS',
  'ENRICHER_FLEET_GENESYS_MAX_RPM',
] as const;

const KEY_PREFIX = /^[A-Za-z0-9_.:{}-]{1,64}$/;

/** ENRICHER_REDIS_*: the fleet's shared Redis, off when ENRICHER_REDIS_URL is unset. */
export function readFleetConfig(r: EnvReader): FleetConfig {
  const keyPrefix = r.string('ENRICHER_REDIS_KEY_PREFIX') ?? 'genesys-enricher:';
  if (!KEY_PREFIX.test(keyPrefix)) r.fail('ENRICHER_REDIS_KEY_PREFIX', 'must be 1 to 64 characters of letters, digits and _ . : { } -', undefined);
  return {
    redisUrl: redisUrlOf(r),
    redisWaitMs: r.int('ENRICHER_REDIS_WAIT_MS', 250, 1, 10_000),
    keyPrefix,
    lockWaitMs: r.int('ENRICHER_REDIS_LOCK_WAIT_MS', 2000, 0, 60_000),
    fleetMaxRequestsPerMinute: r.int('ENRICHER_FLEET_GENESYS_MAX_RPM', 0, 0, 100_000),
  };
}

/**
 * ENRICHER_REDIS_URL: `redis://[user:password@]host:port[/db]` or `rediss://`.
 * The value holds the password, so no problem message ever quotes it.
 */
function redisUrlOf(r: EnvReader): string | undefined {
  const KEY = 'ENRICHER_REDIS_URL';
  const raw = r.string(KEY);
  if (raw === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return r.fail(KEY, 'is not a valid URL (expected redis://[user:password@]host:port[/db] or rediss://...)', undefined);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return r.fail(KEY, `must start with redis:// or rediss:// (TLS), got "${u.protocol}//"`, undefined);
  if (u.hostname === '') return r.fail(KEY, 'must name a host, as in redis://host:6379', undefined);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,5}$/.test(db)) return r.fail(KEY, 'may end only in a database number, as in redis://host:6379/0', undefined);
  if (u.search !== '' || u.hash !== '') return r.fail(KEY, 'must not have a query or fragment', undefined);
  return raw;
}
