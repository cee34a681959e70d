import { configFromEnv, ConfigError } from '../../config/index';
import { startService } from '../../service/index';
import { createLogger } from '../../telemetry/logger';
import { untilSignal } from './signals';

/** `serve`: the enrichment service, configured by environment variables; exits 0 after draining on SIGTERM. */
export async function runServe(): Promise<number> {
  let config;
  try {
    config = configFromEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`genesys-otel-enricher: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  const service = await startService(config, { logger });
  const signal = await untilSignal();
  logger.info({ signal }, 'shutting down: no longer accepting, draining the export queue');
  await service.shutdown();
  logger.info('stopped');
  logger.flush();
  return 0;
}
