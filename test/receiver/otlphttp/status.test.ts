import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { type ErrorCode, PipelineError } from '../../../src/errors';
import { HTTP_STATUS_BY_ERROR_CODE, toHttpRefusal } from '../../../src/receiver/otlphttp/index';

/** Status codes OTLP/HTTP clients retry (OTLP spec, "Retryable Response Codes"). */
const RETRIED_BY_CLIENTS = new Set([429, 502, 503, 504]);

describe('HTTP status of a refused request', () => {
  const expected: Record<ErrorCode, number> = {
    invalid_argument: 400,
    resource_exhausted: 429,
    unavailable: 503,
    deadline_exceeded: 504,
    shutting_down: 503,
    internal: 500,
  };

  it('follows one table, covering every error code', () => {
    assert.deepEqual({ ...HTTP_STATUS_BY_ERROR_CODE }, expected);
  });

  it('lets clients retry exactly what the pipeline calls retryable', () => {
    for (const code of Object.keys(expected) as ErrorCode[]) {
      const error = new PipelineError(code, 'x');
      assert.equal(RETRIED_BY_CLIENTS.has(toHttpRefusal(error).status), error.retryable, code);
    }
  });

  it('rounds a retry delay up to whole seconds, at least one, and only for retryable errors', () => {
    assert.equal(toHttpRefusal(new PipelineError('resource_exhausted', 'full', 1)).retryAfterSeconds, 1);
    assert.equal(toHttpRefusal(new PipelineError('resource_exhausted', 'full', 2_000)).retryAfterSeconds, 2);
    assert.equal(toHttpRefusal(new PipelineError('resource_exhausted', 'full', 2_001)).retryAfterSeconds, 3);
    assert.equal(toHttpRefusal(new PipelineError('unavailable', 'down')).retryAfterSeconds, undefined);
    assert.equal(toHttpRefusal(new PipelineError('invalid_argument', 'bad', 1_000)).retryAfterSeconds, undefined);
  });

  it('carries the gRPC code of the same refusal, and hides internal messages', () => {
    assert.deepEqual(toHttpRefusal(new PipelineError('invalid_argument', 'bad span')), { status: 400, rpcCode: grpc.status.INVALID_ARGUMENT, message: 'bad span' });
    assert.deepEqual(toHttpRefusal(new PipelineError('internal', 'stack at /srv/secret.ts')), { status: 500, rpcCode: grpc.status.INTERNAL, message: 'internal error' });
  });
});
