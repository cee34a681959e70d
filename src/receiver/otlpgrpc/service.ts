import type * as grpc from '@grpc/grpc-js';
import { TRACE_EXPORT_PATH, exportResponseType } from '../../otlp/protos';

/** An `ExportTraceServiceResponse`; leave `partialSuccess` unset on full success (OTLP spec). */
export interface ExportResponse {
  readonly partialSuccess?: {
    /** Spans the server refused; the client must not retry them. */
    readonly rejectedSpans: number;
    /** Why, in English. */
    readonly errorMessage: string;
  };
}

/** The empty response: zero bytes on the wire. */
export const FULL_SUCCESS: ExportResponse = Object.freeze({});

const EMPTY = Buffer.alloc(0);

/** Encodes a response; full success costs nothing. */
export function serializeExportResponse(response: ExportResponse): Buffer {
  if (!response.partialSuccess) return EMPTY;
  return Buffer.from(exportResponseType().encode(response).finish());
}

// The request is handed on as the raw wire bytes: the pipeline walks bytes, it
// never decodes (see pipeline/consumer.ts).
const identity = (bytes: Buffer): Buffer => bytes;

/**
 * OTLP TraceService written by hand so the handler receives the request Buffer
 * untouched instead of a decoded message.
 */
export const TRACE_SERVICE_DEFINITION: grpc.ServiceDefinition = Object.freeze({
  Export: Object.freeze({
    path: TRACE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: serializeExportResponse,
    responseDeserialize: (): ExportResponse => FULL_SUCCESS, // server side: never used
  }),
});
