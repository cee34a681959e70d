/** Genesys Cloud user ids are UUIDs: 8-4-4-4-12 hex digits. */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The canonical (lowercase) form of a Genesys user id, or undefined when `raw`
 * is not one. Accepts any letter case; rejects everything else, including
 * surrounding whitespace, braces and over-long input, so nothing that is not a
 * user id is ever sent to Genesys or used as a cache key.
 */
export function normalizeUserId(raw: string): string | undefined {
  // The length check first keeps the regex off arbitrarily long attacker input.
  if (typeof raw !== 'string' || raw.length !== 36 || !USER_ID.test(raw)) return undefined;
  return raw.toLowerCase();
}
