import { CONTROL_PREFIX } from './control';
import type { RunningSimulator } from './types';

/**
 * A human-readable summary for the CLI: URL, OAuth credentials (this is a
 * local simulator; its generated demo secret is meant to be shown), how to
 * point the SDK at it, example ids and the control routes.
 */
export function describeSimulator(sim: RunningSimulator): string {
  const { hostname, port } = new URL(sim.url);
  const example = (label: string, ids: readonly string[]) => {
    const id = ids[0];
    const name = id ? sim.getUser(id)?.name : undefined;
    return id ? `  ${label.padEnd(9)} ${id}${name ? `  (${name})` : ''}  [${ids.length} in all]` : `  ${label.padEnd(9)} (none)`;
  };
  return [
    `Genesys Cloud simulator listening on ${sim.url}`,
    `  OAuth client id:     ${sim.clientId}`,
    `  OAuth client secret: ${sim.clientSecret}`,
    `  SDK: client.setGateway({ host: '${hostname}', protocol: 'http', port: ${port} }); client.config.live_reload_config = false;`,
    'Example user ids:',
    example('active', sim.org.active),
    example('inactive', sim.org.inactive),
    example('deleted', sim.org.deleted),
    example('unknown', sim.org.unknown),
    `Control (no auth): GET/PUT ${sim.url}${CONTROL_PREFIX}/faults, GET ${sim.url}${CONTROL_PREFIX}/stats, ` +
      `POST ${sim.url}${CONTROL_PREFIX}/reset-stats, POST ${sim.url}${CONTROL_PREFIX}/expire-tokens, ` +
      `GET ${sim.url}${CONTROL_PREFIX}/users/{id}`,
  ].join('\n');
}
