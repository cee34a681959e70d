export { OtlpHttpReceiver } from './receiver';
export { type OtlpHttpReceiverOptions, HTTP_RECEIVER_DEFAULTS } from './options';
export { type OtlpHttpHandler, type OtlpHttpHandlerOptions, TRACES_PATH, createOtlpHttpHandler } from './handler';
export { CORS_MAX_AGE_SECONDS, CorsPolicy, normalizeOrigin } from './cors';
export { CONTENT_TYPES, type OtlpEncoding, encodingOf } from './encoding';
export { HTTP_STATUS_BY_ERROR_CODE, type HttpRefusal, toHttpRefusal } from './status';
export { otlpJsonToProtobuf } from './json/otlpJson';
