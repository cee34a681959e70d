export { configFromEnv, ENV_VARS } from './env';
export { ConfigError } from './errors';
export { CONFIG_FILE_ENV, loadConfig } from './load';
export type { ConfigSources, LoadConfigOptions, LoadedConfig } from './load';
export type { ConfigProblem } from './errors';
export type { Config, GenesysConfig, ReceiverConfig, EnrichmentConfig, CacheConfig, ExportConfig, AdminConfig, SelfTelemetryConfig, SelfTelemetrySampler } from './types';
