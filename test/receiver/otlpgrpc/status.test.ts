import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { type ErrorCode, PipelineError } from '../../../src/errors';
import {
  GRPC_STATUS_BY_ERROR_CODE,
  STATUS_DETAILS_KEY,
  decodeRetryDelayMs,
  encodeRetryStatus,
  toGrpcStatus,
} from '../../../src/receiver/otlpgrpc/index';

// Protobuf wire encoding by hand, independent of protobufjs, to pin the format.
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const field = (id: number, payload: Buffer): Buffer => Buffer.concat([Buffer.from([(id << 3) | 2, ...varint(payload.length)]), payload]);
const intField = (id: number, n: number): Buffer => Buffer.from([id << 3, ...varint(n)]);
/** google.rpc.Status{code, message, details: [Any{RetryInfo{retry_delay: Duration{seconds, nanos}}}]} */
function handMadeStatus(code: number, seconds: number, nanos: number): Buffer {
  const duration = Buffer.concat([intField(1, seconds), intField(2, nanos)]);
  const retryInfo = field(1, duration);
  const any = Buffer.concat([field(1, Buffer.from('type.googleapis.com/google.rpc.RetryInfo')), field(2, retryInfo)]);
  return Buffer.concat([intField(1, code), field(2, Buffer.from('slow down')), field(3, any)]);
}

describe('gRPC status of a refused request', () => {
  const expected: Record<ErrorCode, grpc.status> = {
    invalid_argument: grpc.status.INVALID_ARGUMENT,
    resource_exhausted: grpc.status.UNAVAILABLE,
    unavailable: grpc.status.UNAVAILABLE,
    deadline_exceeded: grpc.status.DEADLINE_EXCEEDED,
    shutting_down: grpc.status.UNAVAILABLE,
    internal: grpc.status.INTERNAL,
  };

  for (const [code, status] of Object.entries(expected) as Array<[ErrorCode, grpc.status]>) {
    it(`maps ${code} to ${grpc.status[status]}`, () => {
      assert.equal(GRPC_STATUS_BY_ERROR_CODE[code], status);
      assert.equal(toGrpcStatus(new PipelineError(code, 'x')).code, status);
    });
  }

  it('signals backpressure as UNAVAILABLE, which every OTLP client retries, with the delay as RetryInfo', () => {
    const status = toGrpcStatus(new PipelineError('resource_exhausted', 'queue full', 2500));
    assert.equal(status.code, grpc.status.UNAVAILABLE);
    assert.equal(status.details, 'queue full');
    assert.equal(decodeRetryDelayMs(status.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer), 2500);
  });

  it('attaches no RetryInfo without a delay, nor to a permanent error', () => {
    assert.deepEqual(toGrpcStatus(new PipelineError('unavailable', 'x')).metadata.get(STATUS_DETAILS_KEY), []);
    assert.deepEqual(toGrpcStatus(new PipelineError('invalid_argument', 'x', 100)).metadata.get(STATUS_DETAILS_KEY), []);
  });

  it('keeps internal error text from the client', () => {
    assert.equal(toGrpcStatus(new PipelineError('internal', 'stack trace with secrets')).details, 'internal error');
  });
});

describe('grpc-status-details-bin with RetryInfo', () => {
  it('is encoded as protobuf google.rpc.Status with the RetryInfo packed in an Any', () => {
    assert.deepEqual(encodeRetryStatus(14, 'slow down', 2500), handMadeStatus(14, 2, 500_000_000));
  });

  it('decodes the delay another server sent, down to the millisecond', () => {
    assert.equal(decodeRetryDelayMs(handMadeStatus(8, 30, 0)), 30_000);
    assert.equal(decodeRetryDelayMs(handMadeStatus(14, 0, 250_000_000)), 250);
  });

  it('reads a status without RetryInfo, or garbage, as no delay', () => {
    assert.equal(decodeRetryDelayMs(Buffer.concat([intField(1, 14), field(2, Buffer.from('no details'))])), undefined);
    assert.equal(decodeRetryDelayMs(Buffer.from([0xff, 0xff, 0xff])), undefined);
  });
});
