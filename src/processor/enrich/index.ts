export { EnrichmentProcessor } from './processor';
export type { EnrichmentProcessorOptions } from './processor';
export { ENRICHMENT_KEYS, ALL_ENRICHMENT_KEYS, AttributeEncoder } from './attributes';
export { EnrichmentStats } from './stats';
