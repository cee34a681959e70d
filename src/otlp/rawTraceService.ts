import type * as grpc from '@grpc/grpc-js';
import { TRACE_EXPORT_PATH } from './protos';

const identity = (b: Buffer): Buffer => b;

/**
 * OTLP TraceService/Export with identity serializers: requests and responses
 * stay wire bytes. Used by the gRPC sinks in tests and the benchmark's own
 * processes, which must never decode a message to stand in for a backend.
 */
export const RAW_TRACE_SERVICE: grpc.ServiceDefinition = {
  Export: {
    path: TRACE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};
