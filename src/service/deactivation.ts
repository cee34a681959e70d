import type { DeactivationConfig, GenesysConfig } from '../config/types';
import { Deactivator, FileRunJournal } from '../deactivation/index';
import { RequestRateLimiter, type CachedIdentityResolver } from '../directory/index';
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
    rateLimiter: new RequestRateLimiter({ ratePerMinute: deactivation.maxRequestsPerMinute }),
  });
  const useCase = new Deactivator({
    client,
    journal: new FileRunJournal({ dataDir: options.dataDir ?? deactivation.dataDir }),
    resolver: options.resolver,
    logger: logger.child({ component: 'deactivation' }),
    ...(deactivation.offboardingDivisionId ? { offboardingDivisionId: deactivation.offboardingDivisionId } : {}),
  });
  return { useCase, close: () => client.close() };
}
