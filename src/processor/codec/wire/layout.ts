/**
 * Where the scan found the sites and their enclosing messages, in flat
 * Int32Arrays (no object per span). Offsets index the scanned buffer; each
 * length-delimited message is stored as three offsets: its length prefix,
 * its body start (just after the prefix) and its body end.
 */
export interface SiteLayout {
  /** Per site, SITE_STRIDE numbers: lenStart, bodyStart, bodyEnd, scopeSpans index (-1 for a resource), resourceSpans index. */
  readonly sites: Int32Array;
  /** Per ScopeSpans holding a span site, SCOPE_SPANS_STRIDE numbers: lenStart, bodyStart, bodyEnd, resourceSpans index. */
  readonly scopeSpans: Int32Array;
  /** Per ResourceSpans holding a site, RESOURCE_SPANS_STRIDE numbers: lenStart, bodyStart, bodyEnd. */
  readonly resourceSpans: Int32Array;
}

export const SITE_STRIDE = 5;
export const SCOPE_SPANS_STRIDE = 4;
export const RESOURCE_SPANS_STRIDE = 3;

/** The three scratch arrays a scan gathers its SiteLayout in. */
export interface LayoutScratches {
  readonly sites: LayoutScratch;
  readonly scopeSpans: LayoutScratch;
  readonly resourceSpans: LayoutScratch;
}

/**
 * A growable Int32Array a codec reuses for every scan (scans are synchronous,
 * so one at a time): the layout is gathered here and copied out once, at its
 * exact size, instead of growing three JS arrays per request (which cost
 * about 30 KB of garbage per 256 sites). Offsets fit: requests are limited
 * far below 2 GiB.
 */
export class LayoutScratch {
  private data = new Int32Array(1024);
  length = 0;

  /** Empties it for the next scan. */
  reset(): void {
    this.length = 0;
  }

  /** Appends `count` (at most 5) values. */
  push(count: number, a: number, b: number, c: number, d = 0, e = 0): void {
    const at = this.reserve(count);
    const data = this.data;
    data[at] = a;
    data[at + 1] = b;
    data[at + 2] = c;
    if (count > 3) data[at + 3] = d;
    if (count > 4) data[at + 4] = e;
  }

  /** Inserts 5 values at index `at`, moving the rest right (resource sites: rare). */
  insert5(at: number, a: number, b: number, c: number, d: number, e: number): void {
    const end = this.reserve(5);
    this.data.copyWithin(at + 5, at, end);
    this.data.set([a, b, c, d, e], at);
  }

  /** A copy of the values gathered, exactly as long. */
  take(): Int32Array {
    return this.data.slice(0, this.length);
  }

  private reserve(count: number): number {
    const at = this.length;
    if (at + count > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, at + count));
      grown.set(this.data.subarray(0, at));
      this.data = grown;
    }
    this.length = at + count;
    return at;
  }
}
