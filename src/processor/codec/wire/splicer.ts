import { PipelineError } from '../../../errors';
import type { StringAttribute } from '../types';
import { EditList } from './editList';
import { Growth } from './growth';
import { RESOURCE_SPANS_STRIDE, SCOPE_SPANS_STRIDE, SITE_STRIDE, type SiteLayout } from './layout';
import { lengthDelimitedTag, varintSize, writeVarint } from './varint';

const SPAN_ATTRIBUTES_TAG = lengthDelimitedTag(9);
const RESOURCE_ATTRIBUTES_TAG = lengthDelimitedTag(1);

type Additions = ReadonlyArray<readonly StringAttribute[] | undefined>;

/**
 * Builds the request with `additions[i]` appended to site i: the new KeyValue
 * fields go at the end of the span (or last Resource occurrence), and the
 * length prefixes of the changed span/Resource, its ScopeSpans and its
 * ResourceSpans are rewritten. Everything else is copied byte for byte,
 * including fields this codec does not know.
 *
 * The output is one Buffer.allocUnsafe of the exact final size. Returns
 * `bytes` itself when there is nothing to add.
 */
export function spliceAdditions(bytes: Buffer, layout: SiteLayout, additions: Additions): Buffer {
  const added = new Int32Array(additions.length);
  let changedSites = 0;
  for (let i = 0; i < additions.length; i++) {
    const list = additions[i];
    if (list === undefined || list.length === 0) continue;
    let size = 0;
    for (let j = 0; j < list.length; j++) {
      const len = list[j].encoded.length;
      size += 1 + varintSize(len) + len;
    }
    added[i] = size;
    changedSites++;
  }
  if (changedSites === 0) return bytes;

  const growth = new Growth(layout, added);
  const edits = new EditList(changedSites * 2 + growth.scope.length + growth.resource.length);
  planEdits(layout, added, growth, edits);
  const out = Buffer.allocUnsafe(bytes.length + growth.total);
  const written = writeEdits(bytes, out, layout, additions, added, edits);
  if (written !== out.length) throw new PipelineError('internal', `codec bug: spliced ${written} bytes, expected ${out.length}`);
  return out;
}

/** Lists the edits in site order: per changed site its ResourceSpans, ScopeSpans and own prefixes (once each), then its insertion. */
function planEdits(layout: SiteLayout, added: Int32Array, growth: Growth, edits: EditList): void {
  const { sites, scopeSpans, resourceSpans } = layout;
  let lastRs = -1;
  let lastSs = -1;
  for (let i = 0; i < added.length; i++) {
    if (added[i] === 0) continue;
    const o = i * SITE_STRIDE;
    const ss = sites[o + 3];
    const rs = sites[o + 4];
    if (rs !== lastRs) {
      const r = rs * RESOURCE_SPANS_STRIDE;
      edits.add(resourceSpans[r], resourceSpans[r + 1], resourceSpans[r + 2] - resourceSpans[r + 1] + growth.resource[rs]);
      lastRs = rs;
    }
    if (ss >= 0 && ss !== lastSs) {
      const s = ss * SCOPE_SPANS_STRIDE;
      edits.add(scopeSpans[s], scopeSpans[s + 1], scopeSpans[s + 2] - scopeSpans[s + 1] + growth.scope[ss]);
      lastSs = ss;
    }
    edits.add(sites[o], sites[o + 1], sites[o + 2] - sites[o + 1] + added[i]);
    edits.add(sites[o + 2], sites[o + 2], ~i);
  }
}

/**
 * Copies `bytes` into `out` applying the edits; returns the bytes written.
 * Two tricks keep native copy calls (each costs far more than its bytes)
 * down to about one per changed span: a new prefix as long as the old one is
 * patched into the copied range instead of splitting the copy, and a list of
 * additions already written for an earlier span is copied from `out` itself.
 */
function writeEdits(bytes: Buffer, out: Buffer, layout: SiteLayout, additions: Additions, added: Int32Array, edits: EditList): number {
  const order = edits.order();
  const writtenLists = new Map<readonly StringAttribute[], number>();
  let cursor = 0;
  let o = 0;
  let patchesFrom = -1; // first entry of `order` waiting to be patched into the next copy
  // One step past the last edit (e === -1) copies the tail of the request.
  for (let k = 0; k <= order.length; k++) {
    const e = k < order.length ? order[k] : -1;
    const pos = e < 0 ? bytes.length : edits.pos[e];
    const value = e < 0 ? 0 : edits.value[e];
    if (e >= 0 && value >= 0 && varintSize(value) === edits.end[e] - pos) {
      if (patchesFrom < 0) patchesFrom = k;
      continue;
    }
    if (pos > cursor) bytes.copy(out, o, cursor, pos);
    if (patchesFrom >= 0) {
      for (let j = patchesFrom; j < k; j++) writeVarint(out, o + edits.pos[order[j]] - cursor, edits.value[order[j]]);
      patchesFrom = -1;
    }
    o += pos - cursor;
    if (e < 0) break;
    cursor = edits.end[e];
    if (value >= 0) {
      o = writeVarint(out, o, value);
      continue;
    }
    const site = ~value;
    const list = additions[site] as readonly StringAttribute[];
    if (layout.sites[site * SITE_STRIDE + 3] < 0) {
      o = writeAttributes(out, o, RESOURCE_ATTRIBUTES_TAG, list);
      continue;
    }
    const earlier = writtenLists.get(list);
    if (earlier !== undefined) {
      out.copyWithin(o, earlier, earlier + added[site]);
      o += added[site];
    } else {
      writtenLists.set(list, o);
      o = writeAttributes(out, o, SPAN_ATTRIBUTES_TAG, list);
    }
  }
  return o;
}

/** Writes each attribute as a length-delimited field with `tag`; returns the position after them. */
function writeAttributes(out: Buffer, o: number, tag: number, list: readonly StringAttribute[]): number {
  for (let j = 0; j < list.length; j++) {
    const encoded = list[j].encoded;
    out[o++] = tag;
    o = writeVarint(out, o, encoded.length);
    o += encoded.copy(out, o);
  }
  return o;
}
