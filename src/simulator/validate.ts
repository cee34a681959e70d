import { apiErrors } from './api-error';

/** Small checks for request bodies and query strings; each failure is a 400 naming the field. */

/** The body as a plain JSON object, else 400. */
export function requireObject(value: unknown, what = 'request body'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw apiErrors.badRequest(`The ${what} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/** The body as a JSON array of at most `max` elements, else 400. */
export function requireArray(value: unknown, max: number, what = 'request body'): unknown[] {
  if (!Array.isArray(value)) throw apiErrors.badRequest(`The ${what} must be a JSON array.`);
  if (value.length > max) throw apiErrors.badRequest(`The ${what} may hold at most ${max} entries.`);
  return value;
}

/** A non-empty string field, else 400. */
export function requireString(object: Record<string, unknown>, field: string): string {
  const value = object[field];
  if (typeof value !== 'string' || value.length === 0) throw apiErrors.badRequest(`The field '${field}' is required.`);
  return value;
}

/** One of the allowed values, or the default when absent; else 400. */
export function oneOf<T extends string>(value: string | null | undefined, allowed: readonly T[], fallback: T, name: string): T {
  if (value === null || value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw apiErrors.badRequest(`Invalid value '${value}' for '${name}'; expected one of ${allowed.join(', ')}.`);
}

/** A `true`/`false` query value, or the default when absent; else 400. */
export function booleanQuery(value: string | null, fallback: boolean, name: string): boolean {
  return oneOf(value?.toLowerCase(), ['true', 'false'] as const, fallback ? 'true' : 'false', name) === 'true';
}

/** Every value of a list query parameter, whether repeated (`id=a&id=b`) or comma-joined (`id=a,b`). */
export function listQuery(query: URLSearchParams, name: string): string[] {
  const values = query.getAll(name).flatMap((v) => v.split(','));
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether the text is shaped like a Genesys id (a UUID). */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
