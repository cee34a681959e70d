import { STRING_MEMBER } from './anyValueWalk';
import type { KeyMatcher } from './keyMatcher';
import { KeyValueProbe } from './keyValue';
import { type LayoutScratches, RESOURCE_SPANS_STRIDE, SCOPE_SPANS_STRIDE, SITE_STRIDE, type SiteLayout } from './layout';
import type { ValueInterner } from './valueInterner';
import { WireSite } from './wireSite';
import type { WireReader } from './wireReader';

/**
 * Collects the sites while the request walker goes through one buffer. The
 * walker reports message boundaries (begin/end calls) and hands over the
 * attributes of spans and resources; everything else it only validates.
 *
 * Resource occurrences: a ResourceSpans may (in theory) carry field 1 more
 * than once; protobuf parsers merge the occurrences, concatenating their
 * attributes. The collector follows that: the resource site exists when any
 * occurrence has the source key, its value is the first in merged order,
 * `has()` looks at all of them, and additions go to the end of the last
 * occurrence (the end of the merged list). The site is emitted when the
 * ResourceSpans ends, ahead of that ResourceSpans' span sites.
 */
export class SiteCollector {
  readonly sites: WireSite[] = [];
  spanCount = 0;

  private readonly keyValue = new KeyValueProbe();
  private readonly keyLengths: Uint8Array;

  // The span or Resource occurrence being walked.
  private found = false;
  private foundMember = 0;
  private foundStringStart = 0;
  private foundStringEnd = 0;
  private mask = 0;

  // The ResourceSpans being walked; its index in layout.resourceSpans is given on its first site.
  private rsLenStart = 0;
  private rsBodyStart = 0;
  private rsBodyEnd = 0;
  private rsIndex = -1;
  private rsFirstSite = 0;

  // Its Resource occurrences, merged.
  private resourceFound = false;
  private resourceValue: string | undefined = undefined;
  private resourceMask = 0;
  private resourceLenStart = 0;
  private resourceBodyStart = 0;
  private resourceBodyEnd = 0;

  // The ScopeSpans being walked.
  private ssLenStart = 0;
  private ssBodyStart = 0;
  private ssBodyEnd = 0;
  private ssIndex = -1;

  /** Where the layout is gathered during the walk: the codec's, reused scan after scan. */
  private readonly scratch: LayoutScratches;

  constructor(
    private readonly buf: Buffer,
    private readonly matcher: KeyMatcher,
    private readonly keyBits: ReadonlyMap<string, number>,
    private readonly values: ValueInterner,
    scratch: LayoutScratches,
  ) {
    scratch.sites.reset();
    scratch.scopeSpans.reset();
    scratch.resourceSpans.reset();
    this.scratch = scratch;
    this.keyLengths = matcher.keyLengths;
  }

  /** The layout of the sites found, once the walk is over (copied out of the scratch). */
  layout(): SiteLayout {
    const { sites, scopeSpans, resourceSpans } = this.scratch;
    return { sites: sites.take(), scopeSpans: scopeSpans.take(), resourceSpans: resourceSpans.take() };
  }

  beginResourceSpans(lenStart: number, bodyStart: number, bodyEnd: number): void {
    this.rsLenStart = lenStart;
    this.rsBodyStart = bodyStart;
    this.rsBodyEnd = bodyEnd;
    this.rsIndex = -1;
    this.rsFirstSite = this.sites.length;
    this.resourceFound = false;
    this.resourceValue = undefined;
    this.resourceMask = 0;
  }

  endResourceSpans(): void {
    if (!this.resourceFound) return;
    const rs = this.ensureResourceSpans();
    const site = new WireSite('resource', this.resourceValue, this.resourceValue === undefined, this.resourceMask, this.keyBits);
    const at = this.rsFirstSite;
    if (at === this.sites.length) {
      this.sites.push(site);
      this.scratch.sites.push(SITE_STRIDE, this.resourceLenStart, this.resourceBodyStart, this.resourceBodyEnd, -1, rs);
    } else {
      this.sites.splice(at, 0, site);
      this.scratch.sites.insert5(at * SITE_STRIDE, this.resourceLenStart, this.resourceBodyStart, this.resourceBodyEnd, -1, rs);
    }
  }

  beginScopeSpans(lenStart: number, bodyStart: number, bodyEnd: number): void {
    this.ssLenStart = lenStart;
    this.ssBodyStart = bodyStart;
    this.ssBodyEnd = bodyEnd;
    this.ssIndex = -1;
  }

  /** Starts a span or a Resource occurrence: an attribute list to watch. */
  beginContainer(): void {
    this.found = false;
    this.mask = 0;
  }

  /** Walks one KeyValue of the current container's attributes, ending at `end`. */
  attribute(r: WireReader, end: number): void {
    const kv = this.keyValue;
    kv.read(r, end);
    const length = kv.keyEnd - kv.keyStart;
    // No key (keyStart -1), or a key no key of interest is as long as: nothing to compare.
    if (kv.keyStart >= 0 && length < this.keyLengths.length && this.keyLengths[length] === 1) this.matchKey(kv);
  }

  /** Compares the key just read with the source key and the watched keys. */
  private matchKey(kv: KeyValueProbe): void {
    if (!this.found && this.matcher.isSource(this.buf, kv.keyStart, kv.keyEnd)) {
      // The first occurrence of the source key decides.
      this.found = true;
      this.foundMember = kv.member;
      this.foundStringStart = kv.stringStart;
      this.foundStringEnd = kv.stringEnd;
    }
    this.mask |= this.matcher.watchedMask(this.buf, kv.keyStart, kv.keyEnd);
  }

  endSpan(lenStart: number, bodyStart: number, bodyEnd: number): void {
    this.spanCount++;
    if (!this.found) return;
    const rs = this.ensureResourceSpans();
    if (this.ssIndex < 0) {
      const scopeSpans = this.scratch.scopeSpans;
      this.ssIndex = scopeSpans.length / SCOPE_SPANS_STRIDE;
      scopeSpans.push(SCOPE_SPANS_STRIDE, this.ssLenStart, this.ssBodyStart, this.ssBodyEnd, rs);
    }
    const value = this.foundValue();
    this.sites.push(new WireSite('span', value, value === undefined, this.mask, this.keyBits));
    this.scratch.sites.push(SITE_STRIDE, lenStart, bodyStart, bodyEnd, this.ssIndex, rs);
  }

  endResource(lenStart: number, bodyStart: number, bodyEnd: number): void {
    if (this.found && !this.resourceFound) {
      this.resourceFound = true;
      this.resourceValue = this.foundValue();
    }
    this.resourceMask |= this.mask;
    this.resourceLenStart = lenStart;
    this.resourceBodyStart = bodyStart;
    this.resourceBodyEnd = bodyEnd;
  }

  private foundValue(): string | undefined {
    if (this.foundMember !== STRING_MEMBER) return undefined;
    return this.values.decode(this.buf, this.foundStringStart, this.foundStringEnd);
  }

  private ensureResourceSpans(): number {
    if (this.rsIndex < 0) {
      const resourceSpans = this.scratch.resourceSpans;
      this.rsIndex = resourceSpans.length / RESOURCE_SPANS_STRIDE;
      resourceSpans.push(RESOURCE_SPANS_STRIDE, this.rsLenStart, this.rsBodyStart, this.rsBodyEnd);
    }
    return this.rsIndex;
  }
}
