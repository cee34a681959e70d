import type { CacheConfig, GenesysConfig } from '../config/index';
import { CachedIdentityResolver, GenesysClient, UserBatcher, UserLookup } from '../directory/index';
import type { Logger } from '../telemetry/logger';

/** Where the directory talks to: a real org or the embedded simulator. */
export interface GenesysTarget {
  clientId: string;
  clientSecret: string;
  region: string;
  apiUrl?: string;
}

/** The directory as the service uses it, with what it must close on shutdown. */
export interface DirectoryParts {
  client: GenesysClient;
  batcher: UserBatcher;
  resolver: CachedIdentityResolver;
  close(): void;
}

/** Builds Genesys client -> bulk look-up -> batcher -> lru cache. */
export function buildDirectory(
  target: GenesysTarget,
  genesys: GenesysConfig,
  cache: CacheConfig,
  logger: Logger,
): DirectoryParts {
  const client = new GenesysClient({
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    region: target.region,
    apiUrl: target.apiUrl,
    requestTimeoutMs: genesys.requestTimeoutMs,
    logger: logger.child({ component: 'genesys' }),
  });
  const batcher = new UserBatcher({ lookup: new UserLookup({ client }) });
  const resolver = new CachedIdentityResolver({
    lookup: batcher,
    max: cache.maxEntries,
    ttlMs: cache.ttlMs,
    notFoundTtlMs: cache.notFoundTtlMs,
    staleWindowMs: cache.staleMs,
  });
  return {
    client,
    batcher,
    resolver,
    close() {
      batcher.close();
      client.close();
    },
  };
}
