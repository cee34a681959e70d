export { OtlpGrpcExporter, type OtlpGrpcExporterOptions, EXPORTER_DEFAULTS } from './exporter';
export { type GrpcTarget, OTLP_GRPC_DEFAULT_PORT, channelCredentials, parseEndpoint } from './endpoint';
export { classifyError, decodeResponse } from './outcome';
