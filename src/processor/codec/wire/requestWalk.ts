/**
 * Validating walker for the top of the tree: ExportTraceServiceRequest,
 * ResourceSpans, Resource (with EntityRef) and ScopeSpans (with
 * InstrumentationScope). It tells the SiteCollector where each message starts
 * and ends, which is what the splicer later rewrites.
 */
import { walkAttribute } from './keyValue';
import type { SiteCollector } from './siteCollector';
import { walkSpan } from './spanWalk';
import { fieldMask, type WireReader } from './wireReader';

const LD = 2;
const REQUEST_FIELDS = fieldMask(1);

/** Walks the whole buffer as an ExportTraceServiceRequest (an empty buffer is an empty request). */
export function walkRequest(r: WireReader, c: SiteCollector): void {
  const end = r.buf.length;
  while (r.pos < end) {
    const tag = r.readTag(end);
    if (tag === ((1 << 3) | LD)) {
      const lenStart = r.pos;
      const bodyEnd = r.readLengthEnd(end);
      walkResourceSpans(r, c, lenStart, r.pos, bodyEnd);
    } else {
      r.skipOther(tag, end, REQUEST_FIELDS, 'ExportTraceServiceRequest');
    }
  }
}

const RESOURCE_SPANS_FIELDS = fieldMask(1, 2, 3);

function walkResourceSpans(r: WireReader, c: SiteCollector, lenStart: number, bodyStart: number, end: number): void {
  c.beginResourceSpans(lenStart, bodyStart, end);
  while (r.pos < end) {
    const tag = r.readTag(end);
    if (tag === ((2 << 3) | LD)) {
      const childLenStart = r.pos;
      const childEnd = r.readLengthEnd(end);
      walkScopeSpans(r, c, childLenStart, r.pos, childEnd);
    } else if (tag === ((1 << 3) | LD)) {
      const childLenStart = r.pos;
      const childEnd = r.readLengthEnd(end);
      walkResource(r, c, childLenStart, r.pos, childEnd);
    } else if (tag === ((3 << 3) | LD)) {
      r.skipBytes(end); // schema_url
    } else {
      r.skipOther(tag, end, RESOURCE_SPANS_FIELDS, 'ResourceSpans');
    }
  }
  c.endResourceSpans();
}

const RESOURCE_FIELDS = fieldMask(1, 2, 3);

function walkResource(r: WireReader, c: SiteCollector, lenStart: number, bodyStart: number, end: number): void {
  c.beginContainer();
  while (r.pos < end) {
    const tag = r.readTag(end);
    if (tag === ((1 << 3) | LD)) c.attribute(r, r.readLengthEnd(end));
    else if (tag === ((2 << 3) | 0)) r.skipVarint(end); // dropped_attributes_count
    else if (tag === ((3 << 3) | LD)) walkEntityRef(r, r.readLengthEnd(end));
    else r.skipOther(tag, end, RESOURCE_FIELDS, 'Resource');
  }
  c.endResource(lenStart, bodyStart, end);
}

const SCOPE_SPANS_FIELDS = fieldMask(1, 2, 3);

function walkScopeSpans(r: WireReader, c: SiteCollector, lenStart: number, bodyStart: number, end: number): void {
  c.beginScopeSpans(lenStart, bodyStart, end);
  while (r.pos < end) {
    const tag = r.readTag(end);
    if (tag === ((2 << 3) | LD)) {
      const spanLenStart = r.pos;
      const spanEnd = r.readLengthEnd(end);
      walkSpan(r, c, spanLenStart, r.pos, spanEnd);
    } else if (tag === ((1 << 3) | LD)) {
      walkScope(r, r.readLengthEnd(end));
    } else if (tag === ((3 << 3) | LD)) {
      r.skipBytes(end); // schema_url
    } else {
      r.skipOther(tag, end, SCOPE_SPANS_FIELDS, 'ScopeSpans');
    }
  }
}

const SCOPE_FIELDS = fieldMask(1, 2, 3, 4);

/** Walks an InstrumentationScope. */
function walkScope(r: WireReader, end: number): void {
  while (r.pos < end) {
    const tag = r.readTag(end);
    switch (tag) {
      case (1 << 3) | 2: // name
      case (2 << 3) | 2: // version
        r.skipBytes(end);
        break;
      case (3 << 3) | 2: // attributes
        walkAttribute(r, r.readLengthEnd(end));
        break;
      case (4 << 3) | 0: // dropped_attributes_count
        r.skipVarint(end);
        break;
      default:
        r.skipOther(tag, end, SCOPE_FIELDS, 'InstrumentationScope');
    }
  }
}

const ENTITY_REF_FIELDS = fieldMask(1, 2, 3, 4);

/** Walks an EntityRef (all four fields are strings). */
function walkEntityRef(r: WireReader, end: number): void {
  while (r.pos < end) {
    const tag = r.readTag(end);
    if ((tag & 7) === 2 && tag >>> 3 >= 1 && tag >>> 3 <= 4) r.skipBytes(end);
    else r.skipOther(tag, end, ENTITY_REF_FIELDS, 'EntityRef');
  }
}
