/**
 * Hand-built OTLP spans for end-to-end tests (on top of test/helpers/otlpWire.ts):
 * each span is named, so what the sink received can be matched to what was sent.
 */
import { createHash } from 'node:crypto';
import { message, requestWith, str } from '../../helpers/otlpWire';

/** A Span body: trace id, span id (both derived from `name`), name, and the given KeyValue bodies as attributes. */
export function spanBody(name: string, ...attributes: Buffer[]): Buffer {
  const id = createHash('sha256').update(name).digest();
  return Buffer.concat([str(1, id.subarray(0, 16)), str(2, id.subarray(16, 24)), str(5, name), ...attributes.map((kv) => message(9, kv))]);
}

/** A request of the given spans in one ResourceSpans/ScopeSpans. */
export function requestOf(...spans: Buffer[]): Buffer {
  return requestWith(spans);
}
