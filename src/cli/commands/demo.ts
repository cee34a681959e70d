import { describeDemoTraffic, startDemoTraffic } from '../../demo/traffic';
import { printWelcome, welcomeText } from '../welcome';

/** Traces per second the demo sends: a few spans a second stay readable on a terminal. */
const DEMO_RATE = 2;
import { ConfigError } from '../../config/errors';
import { startService } from '../../service/index';
import { createLogger } from '../../telemetry/logger';
import { checkServiceDirectories, configForCommand } from './config';
import { untilSignal } from './signals';

/**
 * `demo`: the service on its embedded defaults (built-in simulator, debug
 * exporter unless ENRICHER_EXPORT_OTLP_ENDPOINT is set) plus generated traffic,
 * so a newcomer sees enriched spans within seconds.
 */
export async function runDemo(args: string[] = []): Promise<number> {
  const cmd = configForCommand('demo', args, { defaults: { ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:4317', ENRICHER_OTLP_HTTP_ADDRESS: '127.0.0.1:4318' } });
  if (cmd.exitCode !== undefined) return cmd.exitCode;
  const { config } = cmd.loaded!;
  const unwritable = checkServiceDirectories(config);
  if (unwritable !== undefined) return unwritable;
  const logger = createLogger({ level: config.logLevel });
  let service;
  try {
    service = await startService(config, { logger });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`genesys-otel-enricher: ${err.message}\n`);
    return 2;
  }
  const agents = service.demoAgents();
  if (!agents) {
    logger.warn('demo traffic needs the built-in simulator (unset GENESYS_CLIENT_ID): the service runs without it');
  }
  const url = `http://127.0.0.1:${service.grpcPort}`;
  const traffic = agents ? startDemoTraffic({ url, agents, tracesPerSecond: DEMO_RATE }) : undefined;
  printWelcome(logger, traffic ? `${welcomeText(config, service) ?? ''}${describeDemoTraffic(url, DEMO_RATE)}\n\n` : undefined);
  const signal = await untilSignal();
  logger.info({ signal }, 'demo stopping: traffic first, then the service drains');
  await traffic?.stop();
  logger.info({ traces: traffic?.sent() ?? 0 }, 'demo traffic stopped');
  await service.shutdown();
  logger.info('stopped');
  logger.flush();
  return 0;
}
