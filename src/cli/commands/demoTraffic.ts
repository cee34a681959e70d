import { describeDemoTraffic, startDemoTraffic } from '../../demo/traffic';
import { demoAgents } from '../../simulator/index';
import { parseCommandArgs, usageError } from '../commandArgs';
import { untilSignal } from './signals';

/** `demo-traffic --target host:4317 [--rate 5] [--count N]`: generated traces for the demo org. */
export async function runDemoTraffic(args: string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const parsed = parseCommandArgs('demo-traffic', args, { target: { type: 'string' }, rate: { type: 'string' }, count: { type: 'string' } }, io);
  if (parsed.exitCode !== undefined) return parsed.exitCode;
  const { target = '127.0.0.1:4317', rate: rawRate = '5', count: rawCount } = parsed.values as Record<string, string | undefined>;
  const rate = Number(rawRate);
  if (!(rate > 0 && rate <= 1000)) return usageError('demo-traffic', `--rate must be between 0 and 1000 traces per second, got "${rawRate}"`, io);
  const count = rawCount === undefined ? undefined : Number(rawCount);
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) return usageError('demo-traffic', `--count must be a positive whole number, got "${rawCount}"`, io);
  const url = /^https?:\/\//.test(target) ? target : `http://${target}`;
  const traffic = startDemoTraffic({ url, agents: demoAgents(), tracesPerSecond: rate, maxTraces: count });
  io.stdout.write(`${describeDemoTraffic(url, rate)}\n${count === undefined ? 'Ctrl-C to stop.' : `stopping after ${count} traces.`}\n`);
  const signal = await Promise.race([traffic.done.then(() => undefined), untilSignal()]);
  io.stdout.write(`demo traffic stopping${signal ? ` (${signal})` : ''}: flushing the spans still buffered\n`);
  await traffic.stop();
  io.stdout.write(`demo traffic stopped: sent ${traffic.sent()} traces\n`);
  return 0;
}
