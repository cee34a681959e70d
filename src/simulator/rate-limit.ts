/** Length of the rate-limit window, milliseconds (Genesys counts per minute). */
export const WINDOW_MS = 60_000;

/**
 * A sliding one-minute window of requests per key (per access token, as
 * Genesys limits client-credentials tokens). `limitPerMinute` 0 disables it.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly options: { limitPerMinute: number; now: () => number }) {}

  /** Counts a request; returns undefined if allowed, else the Retry-After seconds (>= 1). */
  take(key: string): number | undefined {
    if (this.options.limitPerMinute <= 0) return undefined;
    const now = this.options.now();
    if (this.hits.size > 10_000) this.forgetIdle(now);
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    this.hits.set(key, recent);
    if (recent.length >= this.options.limitPerMinute) {
      return Math.max(1, Math.ceil((recent[0] + WINDOW_MS - now) / 1000));
    }
    recent.push(now);
    return undefined;
  }

  /** Drops keys (abandoned tokens) with no request inside the window. */
  private forgetIdle(now: number): void {
    for (const [key, times] of this.hits) if (!times.some((t) => t > now - WINDOW_MS)) this.hits.delete(key);
  }
}
