import type { GenesysConfig } from '../config/index';
import { startSimulator, type Simulator } from '../simulator/index';
import type { Logger } from '../telemetry/logger';
import type { GenesysTarget } from './directory';

/**
 * With credentials: the configured org. Without: the built-in simulator,
 * started in-process and announced loudly, so nobody mistakes demo
 * identities for their own org's.
 */
export async function resolveGenesysTarget(
  config: GenesysConfig,
  logger: Logger,
): Promise<{ target: GenesysTarget; simulator?: Simulator }> {
  if (config.mode === 'credentials') {
    return {
      target: { clientId: config.clientId!, clientSecret: config.clientSecret!, region: config.region, apiUrl: config.apiUrl },
    };
  }
  const simulator = await startSimulator({ host: '127.0.0.1', port: 0 });
  logger.warn(
    { simulatorUrl: simulator.url },
    '*** GENESYS_CLIENT_ID is not set: using the BUILT-IN GENESYS SIMULATOR with a demo org. ' +
      'Spans are enriched with DEMO identities, not your org. Set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET for a real org. ***',
  );
  return {
    target: { clientId: simulator.clientId, clientSecret: simulator.clientSecret, region: config.region, apiUrl: simulator.url },
    simulator,
  };
}
