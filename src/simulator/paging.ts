import { apiErrors } from './api-error';

/** A page request: 1-based page number and page size. */
export interface Paging {
  readonly pageSize: number;
  readonly pageNumber: number;
}

/** The Genesys "entity listing" envelope. */
export interface EntityListing<T> {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  firstUri: string;
  selfUri: string;
  lastUri: string;
  nextUri?: string;
  previousUri?: string;
}

/** Reads `pageSize` (default 25, 1..maxPageSize) and `pageNumber` (default 1, >= 1); else 400. */
export function parsePaging(query: URLSearchParams, maxPageSize: number): Paging {
  return {
    pageSize: positiveInt(query.get('pageSize'), 25, maxPageSize, 'pageSize'),
    pageNumber: positiveInt(query.get('pageNumber'), 1, Number.MAX_SAFE_INTEGER, 'pageNumber'),
  };
}

function positiveInt(text: string | null, fallback: number, max: number, name: string): number {
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw apiErrors.badRequest(`Invalid value '${text}' for '${name}'; expected an integer from 1 to ${max}.`);
  }
  return value;
}

/**
 * One page of `items` in the listing envelope. URIs are relative, as Genesys
 * returns them, and repeat `extraQuery` (e.g. state, id) after the paging.
 */
export function pageOf<T>(
  items: readonly T[],
  paging: Paging,
  path: string,
  extraQuery: Readonly<Record<string, string>> = {},
): EntityListing<T> {
  const { pageSize, pageNumber } = paging;
  const pageCount = Math.ceil(items.length / pageSize);
  // Commas stay literal, as Genesys writes id lists in its URIs.
  const uri = (n: number): string =>
    `${path}?${new URLSearchParams({ pageSize: String(pageSize), pageNumber: String(n), ...extraQuery })}`.replace(/%2C/g, ',');
  const listing: EntityListing<T> = {
    entities: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    pageSize,
    pageNumber,
    total: items.length,
    pageCount,
    firstUri: uri(1),
    selfUri: uri(pageNumber),
    lastUri: uri(Math.max(1, pageCount)),
  };
  if (pageNumber < pageCount) listing.nextUri = uri(pageNumber + 1);
  if (pageNumber > 1) listing.previousUri = uri(pageNumber - 1);
  return listing;
}
