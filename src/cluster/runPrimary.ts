import type { Config } from '../config/index';
import { resolveGenesysTarget } from '../service/genesysTarget';
import type { Logger } from '../telemetry/logger';
import { ClusterSupervisor } from './supervisor';

/** Beyond the drain grace period, how long a worker may take to stop (receiver grace, admin, flushes), ms. */
const STOP_MARGIN_MS = 15_000;

/**
 * `serve` with ENRICHER_WORKERS > 1, in the primary process: it starts the
 * embedded Genesys simulator when no credentials are set (one org for all
 * workers; they get its URL and credentials), forks the workers, and on
 * `stopRequested` asks them all to drain and stop. Returns the exit code:
 * 0 when every worker stopped cleanly, 1 otherwise (or when workers kept dying).
 */
export async function runClusterPrimary(config: Config, logger: Logger, stopRequested: Promise<string>): Promise<number> {
  const { target, simulator } = await resolveGenesysTarget(config.genesys, logger);
  const env: Record<string, string> = simulator
    ? { GENESYS_CLIENT_ID: target.clientId, GENESYS_CLIENT_SECRET: target.clientSecret, GENESYS_API_URL: target.apiUrl! }
    : {};
  const supervisor = new ClusterSupervisor({ workers: config.workers, logger, env, stopTimeoutMs: config.shutdownGraceMs + STOP_MARGIN_MS });
  try {
    await Promise.race([supervisor.start(), stopRequested]);
  } catch (err) {
    logger.error({ err }, 'a worker failed to start; stopping the others');
    await supervisor.stop();
    await simulator?.close();
    return 1;
  }
  const ports = supervisor.ports;
  if (ports) logger.info({ workers: config.workers, grpcPort: ports.grpcPort, adminPort: ports.adminPort }, 'genesys-otel-enricher workers started');
  const why = await Promise.race([stopRequested.then((signal) => ({ signal })), supervisor.failed.then((failure) => ({ failure }))]);
  if ('failure' in why) logger.error({ reason: why.failure }, 'giving up on the workers; stopping');
  else logger.info({ signal: why.signal }, 'stopping the workers: no longer accepting, draining their export queues');
  const clean = await supervisor.stop();
  await simulator?.close();
  logger.info({ clean }, 'stopped');
  return clean && !('failure' in why) ? 0 : 1;
}
