/** Span attributes the debug output shows, when present, in this order. */
export const DEBUG_ATTRIBUTES: readonly string[] = Object.freeze([
  'external.user.id',
  'user.full_name',
  'user.name',
  'user.email',
  'genesys.user.state',
  'genesys.user.division',
  'genesys.user.lookup',
]);

// The parts of a protobufjs-decoded ExportTraceServiceRequest this file reads.
// `value` on AnyValue is protobufjs's oneof discriminator: the name of the set field.
interface AnyValue {
  value?: string;
  [field: string]: unknown;
}
interface KeyValue {
  key: string;
  value?: AnyValue | null;
}
interface DecodedSpan {
  name: string;
  traceId: Uint8Array;
  spanId: Uint8Array;
  attributes: KeyValue[];
}
/** A decoded ExportTraceServiceRequest, as far as the debug output needs it. */
export interface DecodedRequest {
  resourceSpans: Array<{
    resource?: { attributes: KeyValue[] } | null;
    scopeSpans: Array<{ spans: DecodedSpan[] }>;
  }>;
}

/** One line per span: service, name, trace and span id in hex, then the identity attributes. */
export function formatRequest(request: DecodedRequest): string[] {
  const lines: string[] = [];
  for (const rs of request.resourceSpans) {
    const service = textOf(find(rs.resource?.attributes, 'service.name')) ?? '(unknown service)';
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) lines.push(formatSpan(service, span));
    }
  }
  return lines;
}

function formatSpan(service: string, span: DecodedSpan): string {
  const parts = [
    `service=${JSON.stringify(service)}`,
    `span=${JSON.stringify(span.name)}`,
    `trace_id=${hex(span.traceId)}`,
    `span_id=${hex(span.spanId)}`,
  ];
  for (const key of DEBUG_ATTRIBUTES) {
    const value = textOf(find(span.attributes, key));
    if (value !== undefined) parts.push(`${key}=${JSON.stringify(value)}`);
  }
  return parts.join(' ');
}

function find(attributes: KeyValue[] | undefined, key: string): AnyValue | undefined {
  return attributes?.find((kv) => kv.key === key)?.value ?? undefined;
}

/** Scalars as text (int64 via toString); arrays and maps are summarised, bytes in hex. */
function textOf(value: AnyValue | undefined): string | undefined {
  const field = value?.value;
  if (!value || !field) return undefined;
  const v = value[field];
  if (field === 'arrayValue' || field === 'kvlistValue') return `(${field})`;
  if (field === 'bytesValue') return hex(v as Uint8Array);
  return String(v);
}

function hex(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? []).toString('hex');
}
