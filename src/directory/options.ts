/**
 * Construction-time option checks shared by the directory components. Each
 * throws a TypeError/RangeError whose message names the component and the
 * option, so a bad configuration fails loudly at start-up (as lru-cache does)
 * instead of misbehaving later.
 */

/** Returns `value`, or `fallback` when undefined; throws unless it is an integer >= `min`. */
export function intOption(owner: string, name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${owner}: option "${name}" must be an integer, got ${describe(value)}`);
  }
  if (value < min) {
    throw new RangeError(`${owner}: option "${name}" must be >= ${min}, got ${value}`);
  }
  return value;
}

/** Returns `value`; throws unless it is a non-empty string. */
export function stringOption(owner: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${owner}: option "${name}" must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

/** Returns `value`, or `fallback` when undefined; throws unless it is a function. */
export function functionOption<F extends (...args: never[]) => unknown>(
  owner: string,
  name: string,
  value: unknown,
  fallback: F,
): F {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') {
    throw new TypeError(`${owner}: option "${name}" must be a function, got ${describe(value)}`);
  }
  return value as F;
}

/** Throws unless `value` is present (not null/undefined). */
export function requiredOption<T>(owner: string, name: string, value: T | undefined | null): T {
  if (value === undefined || value === null) {
    throw new TypeError(`${owner}: option "${name}" is required`);
  }
  return value;
}

// Never echo string values: an option may be a secret.
function describe(value: unknown): string {
  if (typeof value === 'string') return `a string of length ${value.length}`;
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : typeof value;
}
