/**
 * The parts of a protobufjs-decoded ExportTraceServiceRequest the reference
 * codec reads. Repeated fields absent from the wire are (frozen) empty arrays
 * on the message prototype; singular message fields absent are null.
 */
export interface DecodedAnyValue {
  /** protobufjs's virtual oneof field: the name of the member that is set. */
  readonly value?: string;
  readonly stringValue?: string;
  readonly arrayValue?: { readonly values?: DecodedAnyValue[] | null } | null;
  readonly kvlistValue?: { readonly values?: DecodedKeyValue[] | null } | null;
}

export interface DecodedKeyValue {
  key: string;
  value?: DecodedAnyValue | null;
}

interface WithAttributes {
  attributes: DecodedKeyValue[];
}

export interface DecodedSpan extends WithAttributes {
  readonly events: readonly WithAttributes[];
  readonly links: readonly WithAttributes[];
}

export interface DecodedScopeSpans {
  readonly scope?: WithAttributes | null;
  readonly spans: readonly DecodedSpan[];
}

export interface DecodedResourceSpans {
  readonly resource?: WithAttributes | null;
  readonly scopeSpans: readonly DecodedScopeSpans[];
}

export interface DecodedRequest {
  readonly resourceSpans: readonly DecodedResourceSpans[];
}
