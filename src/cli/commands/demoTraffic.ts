import { parseArgs } from 'node:util';
import { startDemoTraffic } from '../../demo/traffic';
import { demoAgents } from '../../simulator/index';
import { untilSignal } from './signals';

/** `demo-traffic --target host:4317 [--rate 5] [--count N]`: generated traces for the demo org. */
export async function runDemoTraffic(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      target: { type: 'string', default: '127.0.0.1:4317' },
      rate: { type: 'string', default: '5' },
      count: { type: 'string' },
    },
  });
  const rate = Number(values.rate);
  if (!(rate > 0 && rate <= 1000)) throw new Error(`--rate must be between 0 and 1000 traces per second, got "${values.rate}"`);
  const count = values.count === undefined ? undefined : Number(values.count);
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new Error(`--count must be a positive whole number`);
  const url = /^https?:\/\//.test(values.target!) ? values.target! : `http://${values.target}`;
  const traffic = startDemoTraffic({ url, agents: demoAgents(), tracesPerSecond: rate, maxTraces: count });
  process.stdout.write(`sending ${rate} demo traces/s to ${url} (Ctrl-C to stop)\n`);
  await Promise.race([traffic.done, untilSignal()]);
  await traffic.stop();
  process.stdout.write(`sent ${traffic.sent()} traces\n`);
  return 0;
}
