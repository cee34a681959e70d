import { normalizeUserId } from '../directory/userId';

/**
 * User ids from an ids file: one per line; `#` starts a comment (whole line
 * or trailing); blank lines are ignored; surrounding whitespace is trimmed.
 */
export function parseIdList(text: string): string[] {
  const ids: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const hash = line.indexOf('#');
    const id = (hash === -1 ? line : line.slice(0, hash)).trim();
    if (id !== '') ids.push(id);
  }
  return ids;
}

/** The ids to run, deduplicated by canonical form, in first-seen order; and the ones that are not user ids. */
export interface SortedIds {
  /** Every distinct entry in order, canonical when valid, raw when not. */
  readonly ordered: readonly string[];
  /** The canonical valid ids, in order. */
  readonly valid: readonly string[];
  /** The entries that are not Genesys user ids, as given. */
  readonly invalid: readonly string[];
  /** How many entries repeated an earlier one. */
  readonly duplicates: number;
}

export function sortIds(raw: readonly string[]): SortedIds {
  const seen = new Set<string>();
  const ordered: string[] = [];
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const r of raw) {
    const id = normalizeUserId(r);
    const key = id ?? r;
    if (seen.has(key)) continue;
    seen.add(key);
    ordered.push(key);
    (id ? valid : invalid).push(key);
  }
  return { ordered, valid, invalid, duplicates: raw.length - ordered.length };
}
