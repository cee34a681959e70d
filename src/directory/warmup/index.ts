/** Optional preload of the whole org into the directory cache (ENRICHER_WARMUP). */
export { DirectoryWarmup } from './directoryWarmup';
export type { DirectoryWarmupOptions, DirectoryWarmupStats, WarmupTarget } from './directoryWarmup';
export { MAX_QUERY_PAGE_SIZE, queryAllUsers } from './userQuery';
export type { UserPage } from './userQuery';
