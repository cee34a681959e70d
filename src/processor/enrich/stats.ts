/** Counters of the enrichment stage, read by the metrics endpoint. */
export class EnrichmentStats {
  /** Sites (spans or resources) stamped with a user's identity. */
  enriched = 0;
  /** Sites marked genesys.user.lookup=not_found. */
  notFound = 0;
  /** Sites marked genesys.user.lookup=failed. */
  failed = 0;
  /** Spans in batches that had no site at all. */
  passedThrough = 0;
  /** Batches that had to wait for directory misses. */
  batchesWaited = 0;
  /** Batches forwarded because the look-up budget ran out. */
  budgetExpired = 0;

  count(outcome: 'enriched' | 'not_found' | 'failed'): void {
    if (outcome === 'enriched') this.enriched++;
    else if (outcome === 'not_found') this.notFound++;
    else this.failed++;
  }
}
