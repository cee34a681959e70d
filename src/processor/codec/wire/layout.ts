/**
 * Where the scan found the sites and their enclosing messages, in flat
 * number arrays (no object per span). Offsets index the scanned buffer; each
 * length-delimited message is stored as three offsets: its length prefix,
 * its body start (just after the prefix) and its body end.
 */
export interface SiteLayout {
  /** Per site, SITE_STRIDE numbers: lenStart, bodyStart, bodyEnd, scopeSpans index (-1 for a resource), resourceSpans index. */
  readonly sites: number[];
  /** Per ScopeSpans holding a span site, SCOPE_SPANS_STRIDE numbers: lenStart, bodyStart, bodyEnd, resourceSpans index. */
  readonly scopeSpans: number[];
  /** Per ResourceSpans holding a site, RESOURCE_SPANS_STRIDE numbers: lenStart, bodyStart, bodyEnd. */
  readonly resourceSpans: number[];
}

export const SITE_STRIDE = 5;
export const SCOPE_SPANS_STRIDE = 4;
export const RESOURCE_SPANS_STRIDE = 3;
