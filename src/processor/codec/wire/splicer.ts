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
 * The output is one buffer of the exact final size, from `allocate` (default
 * Buffer.allocUnsafe). Returns
 * `bytes` itself when there is nothing to add. `framed` (optional, kept by
 * the codec across calls) caches each span-addition list encoded as fields.
 */
export function spliceAdditions(bytes: Buffer, layout: SiteLayout, additions: Additions, framed?: FramedLists, allocate: (size: number) => Buffer = Buffer.allocUnsafe): Buffer {
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
  const out = allocate(bytes.length + growth.total);
  if (out.length !== bytes.length + growth.total) throw new PipelineError('internal', `allocate gave ${out.length} bytes, ${bytes.length + growth.total} asked`);
  const order = edits.order();
  const written = neverShiftsLeft(edits, order, added)
    ? writeEditsBackward(bytes, out, layout, additions, added, edits, order, framed ?? new FramedLists())
    : writeEdits(bytes, out, layout, additions, added, edits, order);
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

/** Bytes edit `e` adds (negative: removes) where it stands. */
function delta(edits: EditList, e: number, added: Int32Array): number {
  const value = edits.value[e];
  const replacement = value >= 0 ? varintSize(value) : added[~value];
  return replacement - (edits.end[e] - edits.pos[e]);
}

/**
 * True when no byte of the request ends up left of where it was: the running
 * sum of the edits' deltas never drops below zero. Only an overlong length
 * prefix rewritten short can make it drop.
 */
function neverShiftsLeft(edits: EditList, order: Int32Array, added: Int32Array): boolean {
  let shift = 0;
  for (let k = 0; k < order.length; k++) {
    shift += delta(edits, order[k], added);
    if (shift < 0) return false;
  }
  return true;
}

/**
 * The usual writer (see neverShiftsLeft for when it applies). Node 20's
 * Buffer#copy of a sub-range allocates a Uint8Array view per call, which
 * costs far more than the few hundred bytes of a span; so instead the whole
 * request goes into `out` with one native copy, and then, from the last edit
 * back to the first, each run of unchanged bytes is moved right to its final
 * place with copyWithin (no allocation) and the edit is written in front of
 * it. Moving back to front never overwrites bytes still to be moved, because
 * nothing moves left. A new prefix as long as the old one does not split a
 * run: it is patched in after the run has moved. Returns the bytes written.
 */
function writeEditsBackward(
  bytes: Buffer,
  out: Buffer,
  layout: SiteLayout,
  additions: Additions,
  added: Int32Array,
  edits: EditList,
  order: Int32Array,
  framed: FramedLists,
): number {
  out.set(bytes, 0);
  let shift = out.length - bytes.length; // how far the run being assembled moves right
  let runEnd = bytes.length; // end (in `bytes`) of that run
  let patchesFrom = order.length; // first entry of `order` patched into that run after it moves
  for (let k = order.length - 1; k >= 0; k--) {
    const e = order[k];
    const value = edits.value[e];
    const pos = edits.pos[e];
    const end = edits.end[e];
    if (value >= 0 && varintSize(value) === end - pos) {
      patchesFrom = k;
      continue;
    }
    if (shift !== 0 && runEnd > end) out.copyWithin(end + shift, end, runEnd);
    patchPrefixes(out, edits, order, patchesFrom, shift, runEnd);
    patchesFrom = order.length;
    let at: number;
    if (value >= 0) {
      at = end + shift - varintSize(value);
      writeVarint(out, at, value);
    } else {
      const site = ~value;
      at = end + shift - added[site];
      const list = additions[site] as readonly StringAttribute[];
      if (layout.sites[site * SITE_STRIDE + 3] < 0) writeAttributes(out, at, RESOURCE_ATTRIBUTES_TAG, list);
      else out.set(framed.spanFields(list, added[site]), at);
    }
    shift = at - pos;
    runEnd = pos;
  }
  if (shift !== 0) throw new PipelineError('internal', `codec bug: the request's head moved by ${shift} bytes`);
  patchPrefixes(out, edits, order, patchesFrom, 0, runEnd);
  return out.length;
}

/** Writes the pending same-length prefixes, order[from..] up to `runEnd`, at their place in a run moved by `shift`. */
function patchPrefixes(out: Buffer, edits: EditList, order: Int32Array, from: number, shift: number, runEnd: number): void {
  for (let j = from; j < order.length; j++) {
    const e = order[j];
    if (edits.pos[e] >= runEnd) break;
    writeVarint(out, edits.pos[e] + shift, edits.value[e]);
  }
}

/**
 * Each list of span additions as the bytes of its fields (tag, length,
 * KeyValue per attribute), built once per list: the processor hands out the
 * same list object for every span of a user until the user's entry changes,
 * so most splices copy a ready-made block. Held weakly: a block goes when
 * its list does (the encoder keeps the lists of recently enriched users only).
 */
export class FramedLists {
  private readonly blocks = new WeakMap<readonly StringAttribute[], Buffer>();

  /** The fields of `list` with the span attributes tag; `size` is their total length. */
  spanFields(list: readonly StringAttribute[], size: number): Buffer {
    let block = this.blocks.get(list);
    if (block === undefined || block.length !== size) {
      block = Buffer.allocUnsafe(size); // pooled: one small block per user, every byte written below
      writeAttributes(block, 0, SPAN_ATTRIBUTES_TAG, list);
      this.blocks.set(list, block);
    }
    return block;
  }
}

/**
 * Copies `bytes` into `out` applying the edits; returns the bytes written.
 * The fallback for requests where some bytes move left (see neverShiftsLeft).
 * Two tricks keep native copy calls (each costs far more than its bytes)
 * down to about one per changed span: a new prefix as long as the old one is
 * patched into the copied range instead of splitting the copy, and a list of
 * additions already written for an earlier span is copied from `out` itself.
 */
function writeEdits(bytes: Buffer, out: Buffer, layout: SiteLayout, additions: Additions, added: Int32Array, edits: EditList, order: Int32Array): number {
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
