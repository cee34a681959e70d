/**
 * Validating walkers for opentelemetry.proto.trace.v1.Span and the messages
 * inside it (Event, Link, Status). Span attributes go to the SiteCollector;
 * everything else is checked and skipped.
 */
import { walkAttribute } from './keyValue';
import type { SiteCollector } from './siteCollector';
import { fieldMask, type WireReader } from './wireReader';

const enum SpanTag {
  TraceId = (1 << 3) | 2,
  SpanId = (2 << 3) | 2,
  TraceState = (3 << 3) | 2,
  ParentSpanId = (4 << 3) | 2,
  Name = (5 << 3) | 2,
  Kind = (6 << 3) | 0,
  StartTime = (7 << 3) | 1,
  EndTime = (8 << 3) | 1,
  Attributes = (9 << 3) | 2,
  DroppedAttributes = (10 << 3) | 0,
  Events = (11 << 3) | 2,
  DroppedEvents = (12 << 3) | 0,
  Links = (13 << 3) | 2,
  DroppedLinks = (14 << 3) | 0,
  Status = (15 << 3) | 2,
  Flags = (16 << 3) | 5,
}
const SPAN_FIELDS = fieldMask(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);

/**
 * Walks a Span whose length prefix starts at `lenStart` and body spans [bodyStart, end).
 *
 * Kept small on purpose: attributes and the fields every span has are handled
 * here, the rest in walkOtherSpanField. V8 inlines callees into a function only
 * up to a bytecode budget, and this loop runs for every field of every span; a
 * smaller loop leaves room to inline the attribute reader, which was measured at
 * a third of the scan's time when it was called instead.
 */
export function walkSpan(r: WireReader, c: SiteCollector, lenStart: number, bodyStart: number, end: number): void {
  c.beginContainer();
  while (r.pos < end) {
    const tag = r.readTag(end);
    if (tag === SpanTag.Attributes) c.attribute(r, r.readLengthEnd(end));
    else if (tag === SpanTag.TraceId || tag === SpanTag.SpanId || tag === SpanTag.ParentSpanId || tag === SpanTag.Name) r.skipBytes(end);
    else if (tag === SpanTag.StartTime || tag === SpanTag.EndTime) r.skipFixed(8, end);
    else walkOtherSpanField(r, tag, end);
  }
  c.endSpan(lenStart, bodyStart, end);
}

/** The span fields walkSpan leaves out: a few per span at most. */
function walkOtherSpanField(r: WireReader, tag: number, end: number): void {
  switch (tag) {
    case SpanTag.TraceState:
      r.skipBytes(end);
      break;
    case SpanTag.Kind:
    case SpanTag.DroppedAttributes:
    case SpanTag.DroppedEvents:
    case SpanTag.DroppedLinks:
      r.skipVarint(end);
      break;
    case SpanTag.Flags:
      r.skipFixed(4, end);
      break;
    case SpanTag.Events:
      walkEvent(r, r.readLengthEnd(end));
      break;
    case SpanTag.Links:
      walkLink(r, r.readLengthEnd(end));
      break;
    case SpanTag.Status:
      walkStatus(r, r.readLengthEnd(end));
      break;
    default:
      r.skipOther(tag, end, SPAN_FIELDS, 'Span');
  }
}

const EVENT_FIELDS = fieldMask(1, 2, 3, 4);

function walkEvent(r: WireReader, end: number): void {
  while (r.pos < end) {
    const tag = r.readTag(end);
    switch (tag) {
      case (1 << 3) | 1: // time_unix_nano
        r.skipFixed(8, end);
        break;
      case (2 << 3) | 2: // name
        r.skipBytes(end);
        break;
      case (3 << 3) | 2: // attributes
        walkAttribute(r, r.readLengthEnd(end));
        break;
      case (4 << 3) | 0: // dropped_attributes_count
        r.skipVarint(end);
        break;
      default:
        r.skipOther(tag, end, EVENT_FIELDS, 'Span.Event');
    }
  }
}

const LINK_FIELDS = fieldMask(1, 2, 3, 4, 5, 6);

function walkLink(r: WireReader, end: number): void {
  while (r.pos < end) {
    const tag = r.readTag(end);
    switch (tag) {
      case (1 << 3) | 2: // trace_id
      case (2 << 3) | 2: // span_id
      case (3 << 3) | 2: // trace_state
        r.skipBytes(end);
        break;
      case (4 << 3) | 2: // attributes
        walkAttribute(r, r.readLengthEnd(end));
        break;
      case (5 << 3) | 0: // dropped_attributes_count
        r.skipVarint(end);
        break;
      case (6 << 3) | 5: // flags
        r.skipFixed(4, end);
        break;
      default:
        r.skipOther(tag, end, LINK_FIELDS, 'Span.Link');
    }
  }
}

// Field 1 is reserved: it is skipped like any unknown field.
const STATUS_FIELDS = fieldMask(2, 3);

function walkStatus(r: WireReader, end: number): void {
  while (r.pos < end) {
    const tag = r.readTag(end);
    if (tag === ((2 << 3) | 2)) r.skipBytes(end); // message
    else if (tag === ((3 << 3) | 0)) r.skipVarint(end); // code
    else r.skipOther(tag, end, STATUS_FIELDS, 'Status');
  }
}
