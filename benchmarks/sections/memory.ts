import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { CacheMemoryResult } from '../cacheMemory';
import { format, targetLine } from '../report';
import { header, type SectionOutcome } from './context';

/** Most RSS growth per 100k cached users the issue allows, MiB. */
const TARGET_MIB_PER_100K = 64;
const USERS = 100_000;

/**
 * Section 5: memory per cached user, measured directly on the cache in a
 * fresh process (see cacheMemory.ts). Going through the service would mean
 * paging 100k users out of the simulator, whose cursor query sorts the whole
 * org on every page: minutes of the harness's CPU for the same figure.
 * RSS under load is in section 1.
 */
export async function memorySection(): Promise<SectionOutcome> {
  header(`5. Memory: users cached in steps of ${USERS.toLocaleString('en-US')}, each enriched once, in a fresh process`, [
    'per user: cache entry (resolution + user record); encoded attributes kept for the 10,000 most recent users; after full GCs',
    'growth per 100k = RSS after 200k users - RSS after 100k (what grows with the cache); 0 -> 100k also holds what does not',
  ]);
  try {
    const out = execFileSync(process.execPath, ['--expose-gc', path.join(__dirname, '..', 'cacheMemory.js'), String(USERS)], { encoding: 'utf8', timeout: 180_000 });
    const r = JSON.parse(out.trim().split('\n').pop()!) as CacheMemoryResult;
    const mib = (bytes: number) => (bytes / 2 ** 20) * (100_000 / r.step);
    const perStep = mib(r.rss[2] - r.rss[1]);
    console.log(`  RSS: ${format(r.rss[0] / 2 ** 20, 1)} MiB empty, +${format(mib(r.rss[1] - r.rss[0]), 1)} MiB for the first 100k users, +${format(perStep, 1)} MiB for the next 100k`);
    console.log(`  heap used: +${format(mib(r.heapUsed[1] - r.heapUsed[0]), 1)} MiB, then +${format(mib(r.heapUsed[2] - r.heapUsed[1]), 1)} MiB`);
    console.log(targetLine('RSS growth per 100k cached users', `${format(perStep, 1)} MiB`, `<= ${TARGET_MIB_PER_100K} MiB`, perStep <= TARGET_MIB_PER_100K));
    return { ok: true };
  } catch (e) {
    console.log(`  FAILED: ${e instanceof Error ? e.message : String(e)}`);
    return { ok: false };
  }
}
