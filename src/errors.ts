/**
 * Errors that carry their retry decision and a stable code. Edges (gRPC
 * receiver, admin HTTP) map them to status codes in one table each.
 */
export type ErrorCode =
  | 'invalid_argument' // the data is malformed: never retry
  | 'resource_exhausted' // a queue or memory limit is full: retry later
  | 'unavailable' // a downstream dependency is down: retry later
  | 'deadline_exceeded' // took too long: retry
  | 'shutting_down' // the service is stopping: retry elsewhere or later
  | 'internal'; // a bug: do not retry the same data blindly

const RETRYABLE: Record<ErrorCode, boolean> = {
  invalid_argument: false,
  resource_exhausted: true,
  unavailable: true,
  deadline_exceeded: true,
  shutting_down: true,
  internal: false,
};

export class PipelineError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Hint for the sender, in milliseconds, when retryable. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'PipelineError';
    this.retryable = RETRYABLE[code];
  }
}

/** Normalises anything thrown into a PipelineError (unknown errors are internal). */
export function toPipelineError(err: unknown): PipelineError {
  if (err instanceof PipelineError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new PipelineError('internal', message);
}
