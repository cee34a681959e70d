import type { Logger } from '../../telemetry/logger';
import { functionOption, intOption, requiredOption, stringOption } from '../options';
import type { RequestLimiter } from './rateLimiter';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from './retryPolicy';

const OWNER = 'GenesysClient';

export interface GenesysClientOptions {
  /** OAuth client-credentials client id. Required. */
  readonly clientId: string;
  /** OAuth client secret. Required. Never logged nor put in error messages. */
  readonly clientSecret: string;
  /** Genesys region, e.g. `mypurecloud.ie`. Default `mypurecloud.com`. */
  readonly region?: string;
  /**
   * Base URL that replaces the region for API calls and `/oauth/token` alike,
   * e.g. `http://127.0.0.1:9000` (the simulator, a proxy). A path is kept as a
   * prefix. Default: none (use the region).
   */
  readonly apiUrl?: string;
  /** Per-request HTTP timeout, milliseconds; at most `retry.budgetMs`. Default 10,000 (or the budget if smaller). */
  readonly requestTimeoutMs?: number;
  /** Retry policy; see {@link RetryOptions} for the defaults. */
  readonly retry?: RetryOptions;
  /** Renew the token at least this long before it expires, milliseconds (see renewalLeadMs). Default 60,000. */
  readonly tokenRenewMarginMs?: number;
  /** Receives retries, give-ups and token events; never credentials. Required. */
  readonly logger: Logger;
  /** Clock for token expiry and the retry budget, milliseconds. Default Date.now. */
  readonly now?: () => number;
  /** Jitter source in [0, 1). Default Math.random. */
  readonly random?: () => number;
  /**
   * Asked before every API request (retries included; token requests not),
   * e.g. a RequestRateLimiter keeping bulk deactivation under Genesys' per-minute
   * limit; told about every 429. The wait for the first attempt of a call does
   * not count against `retry.budgetMs`. Default none (the enricher's look-ups
   * are already batched and bounded by the cache).
   */
  readonly rateLimiter?: RequestLimiter;
}

/** GenesysClientOptions checked, with defaults applied. */
export interface ResolvedClientOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly region: string;
  readonly apiUrl: URL | undefined;
  readonly requestTimeoutMs: number;
  readonly retry: ResolvedRetryOptions;
  readonly tokenRenewMarginMs: number;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random: () => number;
  readonly rateLimiter: RequestLimiter | undefined;
}

/** Validates `options` (errors name the option, never echo a value that could be secret) and applies defaults. */
export function resolveClientOptions(options: GenesysClientOptions): ResolvedClientOptions {
  requiredOption(OWNER, 'options', options);
  const retry = resolveRetryOptions(OWNER, options.retry);
  const requestTimeoutMs = intOption(OWNER, 'requestTimeoutMs', options.requestTimeoutMs, Math.min(10_000, retry.budgetMs));
  if (requestTimeoutMs > retry.budgetMs) {
    throw new RangeError(`${OWNER}: option "requestTimeoutMs" (${requestTimeoutMs}) must be <= "retry.budgetMs" (${retry.budgetMs})`);
  }
  return Object.freeze({
    clientId: stringOption(OWNER, 'clientId', options.clientId),
    clientSecret: stringOption(OWNER, 'clientSecret', options.clientSecret),
    region: parseRegion(options.region),
    apiUrl: parseApiUrl(options.apiUrl),
    requestTimeoutMs,
    retry,
    tokenRenewMarginMs: intOption(OWNER, 'tokenRenewMarginMs', options.tokenRenewMarginMs, 60_000, 0),
    logger: requiredOption(OWNER, 'logger', options.logger),
    now: functionOption<() => number>(OWNER, 'now', options.now, Date.now),
    random: functionOption<() => number>(OWNER, 'random', options.random, Math.random),
    rateLimiter: parseRateLimiter(options.rateLimiter),
  });
}

function parseRateLimiter(limiter: unknown): RequestLimiter | undefined {
  if (limiter === undefined) return undefined;
  if (typeof limiter !== 'object' || limiter === null || typeof (limiter as RequestLimiter).acquire !== 'function') {
    throw new TypeError(`${OWNER}: option "rateLimiter" must have an acquire() method`);
  }
  return limiter as RequestLimiter;
}

function parseRegion(region: unknown): string {
  if (region === undefined) return 'mypurecloud.com';
  const value = stringOption(OWNER, 'region', region);
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value)) {
    throw new RangeError(`${OWNER}: option "region" must be a host name such as "mypurecloud.ie", got "${value}"`);
  }
  return value;
}

function parseApiUrl(apiUrl: unknown): URL | undefined {
  if (apiUrl === undefined) return undefined;
  const value = stringOption(OWNER, 'apiUrl', apiUrl);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${OWNER}: option "apiUrl" must be an absolute URL such as "http://127.0.0.1:9000"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`${OWNER}: option "apiUrl" must use http or https, got "${url.protocol}"`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new RangeError(`${OWNER}: option "apiUrl" must not contain credentials, a query or a fragment`);
  }
  return url;
}
