import type { FaultSwitches } from './types';

/**
 * Reading and consuming the fault switches. The switches object is shared and
 * mutable (tests change it directly or through `PUT /__sim/faults`), so every
 * read tolerates odd values rather than trusting them.
 */

/** Added latency in milliseconds (0 when unset or invalid). */
export function latencyOf(faults: FaultSwitches): number {
  const ms = faults.latencyMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** Consumes one request of a 429 burst; returns its Retry-After seconds, or undefined when no burst is left. */
export function takeBurst(faults: FaultSwitches): number | undefined {
  const burst = faults.rateLimitBurst;
  if (!burst || !(burst.count > 0)) return undefined;
  burst.count -= 1;
  return Math.max(0, Math.floor(burst.retryAfterSeconds || 0));
}

/** Counts one API request against `rateLimitEvery`; returns its Retry-After seconds when this one is to be throttled. */
export function takeEveryNth(faults: FaultSwitches): number | undefined {
  const rule = faults.rateLimitEvery;
  if (!rule || !(rule.every >= 1)) return undefined;
  rule.seen = (rule.seen ?? 0) + 1;
  return rule.seen % rule.every === 0 ? Math.max(0, Math.floor(rule.retryAfterSeconds || 0)) : undefined;
}

/** Consumes one forced version conflict; returns the status it answers with (409, 400 or 408), or undefined when none is left. */
export function takeVersionConflict(faults: FaultSwitches): 400 | 408 | 409 | undefined {
  if (!(typeof faults.versionConflicts === 'number' && faults.versionConflicts > 0)) return undefined;
  faults.versionConflicts -= 1;
  const status = faults.versionConflictStatus;
  return status === 400 || status === 408 ? status : 409;
}

/**
 * Checks a `PUT /__sim/faults` body; returns the switches or every problem found.
 * Unknown keys are problems too, so a typo does not silently do nothing.
 */
export function parseFaults(body: unknown): { faults: FaultSwitches } | { problems: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problems: ['body must be a JSON object'] };
  const input = body as Record<string, unknown>;
  const problems: string[] = [];
  const faults: FaultSwitches = {};
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    switch (key) {
      case 'rateLimitBurst': {
        const burst = value as Record<string, unknown>;
        if (typeof value === 'object' && count(burst.count) && count(burst.retryAfterSeconds)) {
          faults.rateLimitBurst = { count: burst.count as number, retryAfterSeconds: burst.retryAfterSeconds as number };
        } else problems.push('rateLimitBurst must be {count, retryAfterSeconds}, both integers >= 0');
        break;
      }
      case 'rateLimitEvery': {
        const rule = value as Record<string, unknown>;
        if (typeof value === 'object' && count(rule.every) && (rule.every as number) >= 1 && count(rule.retryAfterSeconds)) {
          faults.rateLimitEvery = { every: rule.every as number, retryAfterSeconds: rule.retryAfterSeconds as number };
        } else problems.push('rateLimitEvery must be {every, retryAfterSeconds}, integers, every >= 1');
        break;
      }
      case 'latencyMs':
      case 'versionConflicts':
        if (count(value)) faults[key] = value as number;
        else problems.push(`${key} must be an integer >= 0`);
        break;
      case 'versionConflictStatus':
        if (value === 400 || value === 408 || value === 409) faults.versionConflictStatus = value;
        else problems.push('versionConflictStatus must be 400, 408 or 409');
        break;
      case 'outage':
        if (typeof value === 'boolean') faults.outage = value;
        else problems.push('outage must be a boolean');
        break;
      case 'outageMode':
        if (value === '503' || value === 'reset') faults.outageMode = value;
        else problems.push("outageMode must be '503' or 'reset'");
        break;
      default:
        problems.push(`unknown fault switch '${key}'`);
    }
  }
  return problems.length > 0 ? { problems } : { faults };
}

/** Replaces every switch in place (the object identity is shared, so it is never swapped). */
export function replaceFaults(target: FaultSwitches, next: FaultSwitches): void {
  for (const key of Object.keys(target) as (keyof FaultSwitches)[]) delete target[key];
  Object.assign(target, next);
}
