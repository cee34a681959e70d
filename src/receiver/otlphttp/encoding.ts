import protobuf from 'protobufjs';

/** The two OTLP/HTTP payload encodings. */
export type OtlpEncoding = 'protobuf' | 'json';

/** Content-Type of each encoding; responses use the request's (OTLP spec). */
export const CONTENT_TYPES: Readonly<Record<OtlpEncoding, string>> = Object.freeze({
  protobuf: 'application/x-protobuf',
  json: 'application/json',
});

/** The encoding a Content-Type header names (parameters such as charset ignored), or undefined. */
export function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (media === CONTENT_TYPES.protobuf) return 'protobuf';
  if (media === CONTENT_TYPES.json) return 'json';
  return undefined;
}

// An ExportTraceServiceResponse with partial_success unset (full success):
// zero bytes in protobuf, an empty object in JSON.
const SUCCESS: Readonly<Record<OtlpEncoding, Buffer>> = Object.freeze({
  protobuf: Buffer.alloc(0),
  json: Buffer.from('{}'),
});

/** Body of a full-success response. */
export function successBody(encoding: OtlpEncoding): Buffer {
  return SUCCESS[encoding];
}

// google.rpc.Status without details, described by hand (no googleapis vendoring).
const StatusType = protobuf.Root.fromJSON({
  nested: { Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } } },
}).lookupType('Status');

/** Body of a 4xx/5xx response: a `google.rpc.Status` (OTLP spec, "Failures"). */
export function statusBody(encoding: OtlpEncoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return Buffer.from(StatusType.encode({ code, message }).finish());
}
