/** OTLP trace codecs for the enrichment processor (see types.ts for the contract). */
export type { CodecOptions, EnrichmentSite, ScannedBatch, StringAttribute, TraceCodec } from './types';
export { MAX_ANY_VALUE_DEPTH, MAX_WATCHED_KEYS } from './types';
export { stringAttribute } from './stringAttribute';
export { WireTraceCodec } from './wire/wireTraceCodec';
export { ReferenceTraceCodec } from './reference/referenceTraceCodec';
