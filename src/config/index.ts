export { configFromEnv, ENV_VARS } from './env';
export { ConfigError } from './errors';
export type { ConfigProblem } from './errors';
export type { Config, GenesysConfig, ReceiverConfig, EnrichmentConfig, CacheConfig, ExportConfig, AdminConfig } from './types';
