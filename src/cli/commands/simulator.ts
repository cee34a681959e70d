import { describeSimulator, startSimulator } from '../../simulator/index';
import { parseCommandArgs, usageError } from '../commandArgs';
import { untilSignal } from './signals';

/** `simulator [--port 9000] [--host 127.0.0.1] [--token-lifetime 86400]`: the Genesys simulator on its own. */
export async function runSimulator(args: string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const parsed = parseCommandArgs('simulator', args, { port: { type: 'string' }, host: { type: 'string' }, 'token-lifetime': { type: 'string' } }, io);
  if (parsed.exitCode !== undefined) return parsed.exitCode;
  const { port: rawPort = '9000', host = '127.0.0.1', 'token-lifetime': rawLifetime = '86400' } = parsed.values as Record<string, string | undefined>;
  const port = Number(rawPort);
  const lifetime = Number(rawLifetime);
  if (!/^\d+$/.test(rawPort) || port > 65535) return usageError('simulator', `--port must be 0-65535, got "${rawPort}"`, io);
  if (!/^\d+$/.test(rawLifetime) || lifetime < 1) return usageError('simulator', `--token-lifetime must be a positive whole number of seconds, got "${rawLifetime}"`, io);
  const sim = await startSimulator({ port, host, tokenLifetimeSeconds: lifetime });
  io.stdout.write(describeSimulator(sim) + '\n');
  await untilSignal();
  await sim.close();
  return 0;
}
