import type { DeactivationConfig, GenesysConfig } from '../config/types';
import { Deactivator, FileRunJournal } from '../deactivation/index';
import { RedisRunJournal } from '../deactivation/journal/redisRunJournal';
import type { IdentityCache } from '../deactivation/steps/types';
import { RequestRateLimiter, type RequestLimiter } from '../directory/index';
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
  /** The process's Genesys budget, shared with the look-ups; default one of its own (ENRICHER_GENESYS_MAX_RPM). */
  limiter?: RequestLimiter;
}

/**
 * The soft-deactivation use case over a Genesys client of its own, drawing on
 * the process's Genesys budget (ENRICHER_GENESYS_MAX_RPM, shared with the
 * look-ups in the service: both use the org's ~300 requests/min per OAuth
 * client; the limiter serves turns first come, first served, so neither
 * starves the other), and the file journal. Used by the service (admin routes)
 * and the CLI alike.
 */
export function buildDeactivation(options: DeactivationBuildOptions): DeactivationParts {
  const { target, genesys, deactivation, logger } = options;
  const client = genesysClientFor(target, genesys, {
    logger: logger.child({ component: 'genesys', purpose: 'deactivation' }),
    rateLimiter: options.limiter ?? fleetLimiter(new RequestRateLimiter({ ratePerMinute: genesys.maxRequestsPerMinute }), options.fleet),
  });
  const useCase = new Deactivator({
    client,
    // In a fleet the run lock and journal live in Redis: one run per user fleet-wide, resumable through any replica.
    journal: options.fleet ? new RedisRunJournal({ redis: options.fleet.redis }) : new FileRunJournal({ dataDir: options.dataDir ?? deactivation.dataDir, logger }),
    resolver: options.resolver,
    logger, // the Deactivator names itself (component: deactivation)
    ...(deactivation.offboardingDivisionId ? { offboardingDivisionId: deactivation.offboardingDivisionId } : {}),
  });
  return { useCase, close: () => client.close() };
}
