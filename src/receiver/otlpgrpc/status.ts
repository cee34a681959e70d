import * as grpc from '@grpc/grpc-js';
import type { ErrorCode, PipelineError } from '../../errors';
import { STATUS_DETAILS_KEY, encodeRetryStatus } from './statusDetails';

/**
 * The one table from pipeline error codes to gRPC status codes. OTLP clients
 * retry CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE and
 * DATA_LOSS; RESOURCE_EXHAUSTED only when a RetryInfo says recovery is possible;
 * everything else is dropped by the client (OTLP spec, "Failures").
 */
export const GRPC_STATUS_BY_ERROR_CODE: Readonly<Record<ErrorCode, grpc.status>> = Object.freeze({
  // Malformed data: the client must drop it, retrying cannot help.
  invalid_argument: grpc.status.INVALID_ARGUMENT,
  // A full queue is backpressure, and the spec's throttling section says the
  // server MUST signal it with UNAVAILABLE (+ RetryInfo), not RESOURCE_EXHAUSTED.
  resource_exhausted: grpc.status.UNAVAILABLE,
  // A dependency is down: retry later.
  unavailable: grpc.status.UNAVAILABLE,
  // We ran out of time: the client may retry.
  deadline_exceeded: grpc.status.DEADLINE_EXCEEDED,
  // We are stopping: retry, ideally against another replica.
  shutting_down: grpc.status.UNAVAILABLE,
  // A bug on our side: retrying the same data would likely hit it again.
  internal: grpc.status.INTERNAL,
});

/**
 * The gRPC status answering a failed request. A `retryAfterMs` becomes a
 * `google.rpc.RetryInfo` in `grpc-status-details-bin`. Internal errors are not
 * described to the client (the message may carry internals); log them instead.
 */
export function toGrpcStatus(error: PipelineError): grpc.StatusObject {
  const code = GRPC_STATUS_BY_ERROR_CODE[error.code] ?? grpc.status.INTERNAL;
  const details = error.code === 'internal' ? 'internal error' : error.message;
  const metadata = new grpc.Metadata();
  if (error.retryable && error.retryAfterMs !== undefined) {
    metadata.set(STATUS_DETAILS_KEY, encodeRetryStatus(code, details, error.retryAfterMs));
  }
  return { code, details, metadata };
}
