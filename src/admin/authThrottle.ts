import { isIPv4, isIPv6 } from 'node:net';
import { LRUCache } from 'lru-cache';

/** Options of {@link AuthThrottle}. */
export interface AuthThrottleOptions {
  /** Failed authentications a client may make back to back. Default 10. */
  readonly burst?: number;
  /** One more failure is allowed per this many milliseconds (the sustained rate). Default 6000: 10 per minute. */
  readonly refillMs?: number;
  /** Clients remembered at most; the least recently seen are forgotten first. Default 10 000. */
  readonly maxClients?: number;
  /** Milliseconds clock. Default Date.now. */
  readonly now?: () => number;
}

/** Defaults of {@link AuthThrottleOptions}. */
export const AUTH_THROTTLE_DEFAULTS = Object.freeze({ burst: 10, refillMs: 6_000, maxClients: 10_000 });

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Limits failed admin authentications per client address with a token
 * bucket: `burst` failures at once, then one per `refillMs`. While a client's
 * bucket is empty, its requests are answered 429 before the token is even
 * looked at (so guessing gets no answer at all), with the seconds until the
 * next try. Successful requests cost nothing. IPv6 clients are counted per
 * /64, the block one host usually gets: otherwise one host could rotate
 * through 2^64 addresses. The address is the TCP peer: behind a proxy every
 * client shares the proxy's bucket.
 */
export class AuthThrottle {
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly now: () => number;
  private readonly buckets: LRUCache<string, Bucket>;

  constructor(options: AuthThrottleOptions = {}) {
    this.burst = positiveInt('burst', options.burst ?? AUTH_THROTTLE_DEFAULTS.burst);
    this.refillMs = positiveInt('refillMs', options.refillMs ?? AUTH_THROTTLE_DEFAULTS.refillMs);
    this.now = options.now ?? Date.now;
    this.buckets = new LRUCache({ max: positiveInt('maxClients', options.maxClients ?? AUTH_THROTTLE_DEFAULTS.maxClients) });
  }

  /** Whole seconds `client` must wait before trying again, or undefined when it may try now. */
  retryAfterSeconds(client: string): number | undefined {
    const bucket = this.refilled(clientKey(client));
    if (!bucket || bucket.tokens >= 1) return undefined;
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * this.refillMs) / 1000));
  }

  /** `client` presented a missing or wrong token. */
  failed(client: string): void {
    const key = clientKey(client);
    const bucket = this.refilled(key) ?? { tokens: this.burst, at: this.now() };
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
  }

  private refilled(key: string): Bucket | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    const now = this.now();
    bucket.tokens = Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.at) / this.refillMs);
    bucket.at = now;
    return bucket;
  }
}

/** The throttled unit of an address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64. */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIPv4(address) || !isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head, tail] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

function positiveInt(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`AuthThrottle: ${name} must be a positive integer, got ${value}`);
  return value;
}
