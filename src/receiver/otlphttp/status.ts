import type { ErrorCode, PipelineError } from '../../errors';
import { GRPC_STATUS_BY_ERROR_CODE } from '../otlpgrpc/status';

/**
 * The one table from pipeline error codes to HTTP status codes, the OTLP/HTTP
 * counterpart of `otlpgrpc/status.ts`. OTLP clients retry 429, 502, 503 and
 * 504, honouring `Retry-After`; every other 4xx/5xx is dropped (OTLP spec,
 * "OTLP/HTTP Response").
 */
export const HTTP_STATUS_BY_ERROR_CODE: Readonly<Record<ErrorCode, number>> = Object.freeze({
  // Malformed data: the client must drop it ("Bad Data").
  invalid_argument: 400,
  // A full queue is throttling. Unlike gRPC, where RESOURCE_EXHAUSTED is only
  // retried with a RetryInfo (hence UNAVAILABLE there), HTTP 429 is always
  // retried and says exactly "slow down".
  resource_exhausted: 429,
  // A dependency is down: retry later.
  unavailable: 503,
  // We ran out of time: retryable, like gRPC DEADLINE_EXCEEDED.
  deadline_exceeded: 504,
  // We are stopping: retry, ideally against another replica.
  shutting_down: 503,
  // A bug on our side: not retried (500 is not in the retryable list).
  internal: 500,
});

/** How a refused request is answered over HTTP. */
export interface HttpRefusal {
  readonly status: number;
  /** `google.rpc.Status.code`: the gRPC code of the same refusal (advisory for OTLP clients). */
  readonly rpcCode: number;
  readonly message: string;
  /** `Retry-After` in whole seconds (rounded up), when the error is retryable and carries a delay. */
  readonly retryAfterSeconds?: number;
}

/** The HTTP answer to a failed request. Internal errors are not described to the client; log them instead. */
export function toHttpRefusal(error: PipelineError): HttpRefusal {
  const status = HTTP_STATUS_BY_ERROR_CODE[error.code] ?? 500;
  const rpcCode = GRPC_STATUS_BY_ERROR_CODE[error.code] ?? GRPC_STATUS_BY_ERROR_CODE.internal;
  const message = error.code === 'internal' ? 'internal error' : error.message;
  if (!error.retryable || error.retryAfterMs === undefined) return { status, rpcCode, message };
  return { status, rpcCode, message, retryAfterSeconds: Math.max(1, Math.ceil(error.retryAfterMs / 1000)) };
}
