import type { DeactivationConfig, GenesysConfig } from '../config/types';
import { Deactivator, FileRunJournal } from '../deactivation/index';
import { RequestRateLimiter, type CachedIdentityResolver, type RequestLimiter } from '../directory/index';
import type { Logger } from '../telemetry/logger';
import { type GenesysTarget, genesysClientFor } from './directory';

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
  /** The enricher's cache, refreshed at the end of a run; the CLI has none. */
  resolver?: CachedIdentityResolver;
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
    rateLimiter: options.limiter ?? new RequestRateLimiter({ ratePerMinute: genesys.maxRequestsPerMinute }),
  });
  const useCase = new Deactivator({
    client,
    journal: new FileRunJournal({ dataDir: options.dataDir ?? deactivation.dataDir, logger }),
    resolver: options.resolver,
    logger, // the Deactivator names itself (component: deactivation)
  });
  return { useCase, close: () => client.close() };
}
