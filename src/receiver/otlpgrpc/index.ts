export { OtlpGrpcReceiver } from './receiver';
export { type OtlpGrpcReceiverOptions, RECEIVER_DEFAULTS } from './options';
export { type GrpcConnectionLimits, grpcServerOptions } from './limits';
export { type ExportResponse, TRACE_SERVICE_DEFINITION } from './service';
export { GRPC_STATUS_BY_ERROR_CODE, toGrpcStatus } from './status';
export { STATUS_DETAILS_KEY, decodeRetryDelayMs, encodeRetryStatus } from './statusDetails';
