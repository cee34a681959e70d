import { GenesysError } from '../../directory/genesys/errors';

/** The part of a Genesys entity listing paging needs. */
export interface Page<T> {
  readonly entities?: T[];
  readonly pageCount?: number;
}

/** More pages than this means something is wrong (a user in 50,000 queues is not one). */
export const MAX_PAGES = 100;

/** Every entity of a paged listing, fetching page 1, 2, ... until `pageCount`. */
export async function allPages<T>(fetchPage: (pageNumber: number) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await fetchPage(pageNumber);
    all.push(...(Array.isArray(page?.entities) ? page.entities : []));
    const pageCount = typeof page?.pageCount === 'number' ? page.pageCount : 1;
    if (pageNumber >= pageCount) return all;
    if (pageNumber >= MAX_PAGES) {
      throw new GenesysError({ status: 200, code: 'too_many_pages', retryable: false, operation: 'paging', detail: `more than ${MAX_PAGES} pages` });
    }
  }
}

/**
 * Every entity of a listing that gives no `total` or `pageCount` (the
 * QueueMember listing): pages 1, 2, ... until a page comes back empty. A
 * short page does not end it: a filter applied after paging could make a
 * middle page short.
 */
export async function pagesUntilEmpty<T>(fetchPage: (pageNumber: number) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await fetchPage(pageNumber);
    const entities = Array.isArray(page?.entities) ? page.entities : [];
    if (entities.length === 0) return all;
    all.push(...entities);
    if (pageNumber >= MAX_PAGES) {
      throw new GenesysError({ status: 200, code: 'too_many_pages', retryable: false, operation: 'paging', detail: `more than ${MAX_PAGES} pages` });
    }
  }
}
