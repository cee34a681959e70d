import type { UnresolvedCause } from './heldEnrichment';

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
  /** Batches whose look-ups were not all answered within the look-up budget. */
  budgetExpired = 0;
  /** Batches handed on held (pending) because look-ups were still unanswered after the budget. */
  held = 0;
  /** Sites marked failed, by why they left unresolved. */
  readonly unresolved: Record<UnresolvedCause, number> = { budget_expired: 0, hold_expired: 0, overflow: 0, breaker_open: 0, shutdown: 0 };

  countUnresolved(cause: UnresolvedCause, sites: number): void {
    this.unresolved[cause] += sites;
  }
}
