import { parseArgs } from 'node:util';
import { describeSimulator, startSimulator } from '../../simulator/index';
import { untilSignal } from './signals';

/** `simulator [--port 9000] [--host 127.0.0.1] [--token-lifetime 86400]`: the Genesys simulator on its own. */
export async function runSimulator(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '9000' },
      host: { type: 'string', default: '127.0.0.1' },
      'token-lifetime': { type: 'string', default: '86400' },
    },
  });
  const port = Number(values.port);
  const lifetime = Number(values['token-lifetime']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${values.port}"`);
  if (!Number.isInteger(lifetime) || lifetime < 1) throw new Error(`--token-lifetime must be a positive number of seconds`);
  const sim = await startSimulator({ port, host: values.host, tokenLifetimeSeconds: lifetime });
  process.stdout.write(describeSimulator(sim) + '\n');
  await untilSignal();
  await sim.close();
  return 0;
}
