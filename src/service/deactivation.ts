import type { DeactivationConfig, GenesysConfig } from '../config/types';
import { Deactivator, FileRunJournal } from '../deactivation/index';
import { RedisRunJournal } from '../deactivation/journal/redisRunJournal';
import type { IdentityCache } from '../deactivation/steps/types';
import { RequestRateLimiter } from '../directory/index';
import type { Logger } from '../telemetry/logger';
import { type GenesysTarget, genesysClientFor } from './directory';
import { type FleetParts, fleetLimiter } from './fleet';

export interface DeactivationParts {
  readonly useCase: Deactivator;
  /** Releases the deactivation's own Genesys client. */
  close(): void;
}

export interface DeactivationBuildOptions {
  target: GenesysTarget;
  genesys: GenesysConfig;
  deactivation: DeactivationConfig;
  logger: Logger;
  /** The enricher's cache (in a fleet: local, Redis and every replica), refreshed at the end of a run; the CLI has none. */
  resolver?: IdentityCache;
  /** The fleet, when ENRICHER_REDIS_URL is set: its Genesys budget covers deactivation runs too. */
  fleet?: FleetParts;
  /** Journal directory; default `deactivation.dataDir`. */
  dataDir?: string;
}

/**
 * The soft-deactivation use case over a Genesys client of its own, limited to
 * ENRICHER_GENESYS_MAX_RPM so bulk runs never queue the enricher's look-ups
 * behind them (both share the org's ~300 requests/min per OAuth client), and
 * the file journal. Used by the service (admin routes) and the CLI alike.
 */
export function buildDeactivation(options: DeactivationBuildOptions): DeactivationParts {
  const { target, genesys, deactivation, logger } = options;
  const client = genesysClientFor(target, genesys, {
    logger: logger.child({ component: 'genesys', purpose: 'deactivation' }),
    rateLimiter: fleetLimiter(new RequestRateLimiter({ ratePerMinute: deactivation.maxRequestsPerMinute }), options.fleet),
  });
  const useCase = new Deactivator({
    client,
    // In a fleet the run lock and journal live in Redis: one run per user fleet-wide, resumable through any replica.
    journal: options.fleet ? new RedisRunJournal({ redis: options.fleet.redis }) : new FileRunJournal({ dataDir: options.dataDir ?? deactivation.dataDir }),
    resolver: options.resolver,
    logger: logger.child({ component: 'deactivation' }),
  });
  return { useCase, close: () => client.close() };
}
