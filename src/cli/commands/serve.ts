import { clusterWorkerId, clusterWorkerMetrics, isClusterWorker, leaveCluster, reportWorkerReady, runClusterPrimary, untilWorkerStop } from '../../cluster/index';
import { ConfigError } from '../../config/errors';
import { startService } from '../../service/index';
import { missingNodeFlags, SERVICE_NODE_FLAGS } from '../../service/nodeFlags';
import { createLogger, type Logger } from '../../telemetry/logger';
import { printWelcome, welcomeText } from '../welcome';
import { checkServiceDirectories, configForCommand } from './config';
import { untilSignal } from './signals';

/**
 * `serve [--config file.yaml]`: the enrichment service, configured by the file
 * (or ENRICHER_CONFIG) and environment variables, which override it; exits 0
 * after draining on SIGTERM, 2 on bad configuration.
 */
export async function runServe(args: string[] = []): Promise<number> {
  const cmd = configForCommand('serve', args);
  if (cmd.exitCode !== undefined) return cmd.exitCode;
  const { config } = cmd.loaded!;
  const unwritable = checkServiceDirectories(config);
  if (unwritable !== undefined) return unwritable;
  const root = createLogger({ level: config.logLevel });
  // Workers inherit the primary's flags (node:cluster forks with process.execArgv): one warning, from the first process.
  if (!isClusterWorker()) warnOfMissingNodeFlags(root);
  // ENRICHER_WORKERS > 1: this process only supervises; the workers it forks run the service below.
  if (config.workers > 1 && !isClusterWorker()) return runClusterPrimary(config, root, untilSignal());
  const worker = isClusterWorker();
  const logger = worker ? root.child({ worker: clusterWorkerId() }) : root;
  let service;
  try {
    // A worker's /metrics answers for all workers: the primary aggregates them.
    service = await startService(config, { logger, ...(worker ? { metricsSource: (local) => clusterWorkerMetrics(local).source } : {}) });
  } catch (err) {
    leaveCluster(); // a worker's IPC channel would keep it alive
    if (!(err instanceof ConfigError)) throw err;
    logger.flush();
    process.stderr.write(`genesys-otel-enricher: ${err.message}\n`);
    return 2;
  }
  if (worker) reportWorkerReady({ grpcPort: service.grpcPort, adminPort: service.adminPort });
  else printWelcome(logger, welcomeText(config, service));
  const signal = await (worker ? untilWorkerStop() : untilSignal());
  logger.info({ signal }, 'shutting down: no longer accepting, draining the export queue');
  await service.shutdown();
  logger.info('stopped');
  logger.flush();
  leaveCluster();
  return 0;
}

function warnOfMissingNodeFlags(logger: Logger): void {
  const missing = missingNodeFlags(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length === 0) return;
  logger.warn(
    { missing, recommended: SERVICE_NODE_FLAGS },
    `node was started without ${missing.join(' ')}: under load, V8's default young generation leads to frequent full garbage collections and latency spikes. ` +
      `Start it as \`node ${missing.join(' ')} dist/src/cli/main.js serve\` (npm start and the Docker image do) or put the flags in NODE_OPTIONS; see docs/performance.md`,
  );
}
