/** The directory: Genesys HTTP client, batched user look-up, and the cache-backed IdentityResolver. */
export type { GenesysUser, IdentityResolver, Resolution, UserState } from './types';
export { normalizeUserId } from './userId';
export { GenesysClient } from './genesys/genesysClient';
export type { CallOptions, GenesysClientOptions, GenesysClientStats } from './genesys/genesysClient';
export { GenesysError, toGenesysError } from './genesys/errors';
export type { GenesysErrorInit, LocalErrorCode } from './genesys/errors';
export type { RetryOptions } from './genesys/retryPolicy';
export { RequestRateLimiter } from './genesys/rateLimiter';
export type { RequestLimiter, RequestRateLimiterOptions, RequestRateLimiterStats } from './genesys/rateLimiter';
export type { GenesysApis } from './genesys/sdk';
export { UserLookup, MAX_IDS_PER_REQUEST } from './lookup/userLookup';
export type { GenesysCaller, UserLookupOptions } from './lookup/userLookup';
export { UserBatcher } from './lookup/userBatcher';
export type { BulkLookup, UserBatcherOptions, UserBatcherStats } from './lookup/userBatcher';
export { CachedIdentityResolver } from './cache/cachedIdentityResolver';
export type {
  CachedIdentityResolverOptions,
  CachedIdentityResolverStats,
  SingleLookup,
} from './cache/cachedIdentityResolver';
