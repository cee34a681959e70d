import { RESOURCE_SPANS_STRIDE, SCOPE_SPANS_STRIDE, SITE_STRIDE, type SiteLayout } from './layout';
import { varintSize } from './varint';

/**
 * How many bytes each changed ScopeSpans and ResourceSpans body grows by, and
 * the whole request, given the bytes added to each site's body. Growth can be
 * zero or negative (an overlong length prefix rewritten short), so "changed"
 * is tracked apart from the amount.
 */
export class Growth {
  readonly scope: Int32Array;
  readonly scopeChanged: Uint8Array;
  readonly resource: Int32Array;
  readonly resourceChanged: Uint8Array;
  /** Bytes the whole request grows by. */
  total = 0;

  /** `added[i]`: bytes added to site i's body (0: site unchanged). */
  constructor(layout: SiteLayout, added: Int32Array) {
    const { sites, scopeSpans, resourceSpans } = layout;
    const scopeCount = scopeSpans.length / SCOPE_SPANS_STRIDE;
    const resourceCount = resourceSpans.length / RESOURCE_SPANS_STRIDE;
    this.scope = new Int32Array(scopeCount);
    this.scopeChanged = new Uint8Array(scopeCount);
    this.resource = new Int32Array(resourceCount);
    this.resourceChanged = new Uint8Array(resourceCount);
    for (let i = 0; i < added.length; i++) {
      if (added[i] === 0) continue;
      const o = i * SITE_STRIDE;
      const grow = grownBy(sites[o], sites[o + 1], sites[o + 2], added[i]);
      const ss = sites[o + 3];
      if (ss >= 0) this.growScope(ss, grow);
      else this.growResource(sites[o + 4], grow);
    }
    for (let s = 0; s < scopeCount; s++) {
      if (this.scopeChanged[s] === 0) continue;
      const o = s * SCOPE_SPANS_STRIDE;
      this.growResource(scopeSpans[o + 3], grownBy(scopeSpans[o], scopeSpans[o + 1], scopeSpans[o + 2], this.scope[s]));
    }
    for (let r = 0; r < resourceCount; r++) {
      if (this.resourceChanged[r] === 0) continue;
      const o = r * RESOURCE_SPANS_STRIDE;
      this.total += grownBy(resourceSpans[o], resourceSpans[o + 1], resourceSpans[o + 2], this.resource[r]);
    }
  }

  private growScope(ss: number, by: number): void {
    this.scope[ss] += by;
    this.scopeChanged[ss] = 1;
  }

  private growResource(rs: number, by: number): void {
    this.resource[rs] += by;
    this.resourceChanged[rs] = 1;
  }
}

/** How much a length-delimited message, prefix included, grows when its body grows by `bodyGrowth`. */
function grownBy(lenStart: number, bodyStart: number, bodyEnd: number, bodyGrowth: number): number {
  return bodyGrowth + varintSize(bodyEnd - bodyStart + bodyGrowth) - (bodyStart - lenStart);
}
