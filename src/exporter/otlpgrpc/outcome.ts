import * as grpc from '@grpc/grpc-js';
import { exportResponseType } from '../../otlp/protos';
import { STATUS_DETAILS_KEY, decodeRetryDelayMs } from '../../receiver/otlpgrpc/statusDetails';
import type { SendResult } from '../queue/types';

/**
 * gRPC codes an OTLP client retries (OTLP spec, "Failures" table).
 * RESOURCE_EXHAUSTED is retried only when the server sent a RetryInfo.
 */
const RETRYABLE_CODES: ReadonlySet<grpc.status> = new Set([
  grpc.status.CANCELLED,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.ABORTED,
  grpc.status.OUT_OF_RANGE,
  grpc.status.UNAVAILABLE,
  grpc.status.DATA_LOSS,
]);

/** Classifies a failed call: retryable (with the server's RetryInfo delay, if any) or permanent. */
export function classifyError(error: grpc.ServiceError): SendResult {
  const reason = `${grpc.status[error.code] ?? error.code}: ${error.details}`;
  const retryAfterMs = retryDelayOf(error.metadata);
  const retryable =
    RETRYABLE_CODES.has(error.code) || (error.code === grpc.status.RESOURCE_EXHAUSTED && retryAfterMs !== undefined);
  if (!retryable) return { status: 'failure', reason };
  return retryAfterMs === undefined ? { status: 'retryable', reason } : { status: 'retryable', reason, retryAfterMs };
}

function retryDelayOf(metadata: grpc.Metadata | undefined): number | undefined {
  const value = metadata?.get(STATUS_DETAILS_KEY)[0];
  return Buffer.isBuffer(value) ? decodeRetryDelayMs(value) : undefined;
}

/** What an ExportTraceServiceResponse says, reduced to a partial-success note. */
export interface ResponseNote {
  readonly rejectedSpans?: number;
  readonly message?: string;
}

interface DecodedResponse {
  partialSuccess?: { rejectedSpans?: number | { toString(): string }; errorMessage?: string } | null;
}

/**
 * Response deserializer. The data was accepted by the time a response arrives,
 * so an unreadable response must not turn into a failure (and a retry).
 */
export function decodeResponse(bytes: Buffer): ResponseNote {
  if (bytes.length === 0) return {};
  try {
    const partial = (exportResponseType().decode(bytes) as unknown as DecodedResponse).partialSuccess;
    if (!partial) return {};
    const rejectedSpans = Number(partial.rejectedSpans?.toString() ?? 0);
    return { rejectedSpans, message: partial.errorMessage || undefined };
  } catch {
    return { message: 'unreadable ExportTraceServiceResponse' };
  }
}

/** The success result for a response. */
export function successOf(note: ResponseNote | undefined): SendResult {
  return { status: 'success', ...note };
}
