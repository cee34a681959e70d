/**
 * Why spans left unresolved (`genesys.user.lookup=failed`): the look-up budget
 * ran out and holding is off, the hold ran out, the hold overflowed, the
 * circuit breaker was open, or the service stopped. The `reason` label of
 * `enricher_unresolved_spans_total`.
 */
export const UNRESOLVED_CAUSES = ['budget_expired', 'hold_expired', 'overflow', 'breaker_open', 'shutdown'] as const;
export type UnresolvedCause = (typeof UNRESOLVED_CAUSES)[number];

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
  readonly unresolved = Object.fromEntries(UNRESOLVED_CAUSES.map((cause) => [cause, 0])) as Record<UnresolvedCause, number>;

  countUnresolved(cause: UnresolvedCause, sites: number): void {
    this.unresolved[cause] += sites;
  }
}
