/**
 * What an OTLP/JSON body bomb costs the OTLP/HTTP receiver's event loop and
 * memory (issue 16, finding 1). The receiver runs in this process with a
 * next stage that accepts everything; a child process posts the bodies, so
 * the event-loop delay measured here is the receiver's alone.
 *
 *   node dist/benchmarks/jsonBomb.js [--copies 3]
 *
 * Prints, per case: the answers, the longest and p99 event-loop delay, the
 * growth of heap + external memory (peak, sampled every 5 ms) and of RSS.
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { OtlpHttpReceiver } from '../src/receiver/otlphttp/index';
import { silentLogger } from '../src/telemetry/logger';

const MIB = 1024 * 1024;

const SENDER = `
  const http = require('node:http');
  const [port, spans, copies] = process.argv.slice(1).map(Number);
  const body = Buffer.concat([Buffer.from('{"resourceSpans":[{"scopeSpans":[{"spans":['), Buffer.alloc(spans * 3 - 1, '{},'), Buffer.from(']}]}]}')]);
  process.send('ready');
  process.once('message', () => Promise.all(Array.from({ length: copies }, () => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/traces', agent: false, headers: { 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    req.end(body);
  }))).then((statuses) => process.send(statuses, () => process.exit(0))));`;

async function run(port: number, label: string, spans: number, copies: number): Promise<void> {
  const child = fork('-e', [SENDER, String(port), String(spans), String(copies)], { execArgv: [] } as never);
  await new Promise((resolve) => child.once('message', resolve));
  const held = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const before = { held: held(), rss: process.memoryUsage.rss() };
  let peak = before.held;
  let peakRss = before.rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, held());
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 5);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  child.send('go');
  const statuses = await new Promise<number[]>((resolve) => child.once('message', (m) => resolve(m as number[])));
  const tookMs = performance.now() - started;
  delay.disable();
  clearInterval(sampler);
  const bodyMiB = (spans * 3 + 50) / MIB;
  console.log(
    `${label}: ${copies} x ${bodyMiB.toFixed(1)} MiB (${spans} empty spans) -> ${statuses.join(',')} in ${tookMs.toFixed(0)} ms; ` +
      `event loop max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms; ` +
      `heap+external +${((peak - before.held) / MIB).toFixed(0)} MiB, RSS +${((peakRss - before.rss) / MIB).toFixed(0)} MiB`,
  );
}

async function main(): Promise<void> {
  const copiesAt = process.argv.indexOf('--copies');
  const copies = copiesAt > 0 ? Number(process.argv[copiesAt + 1]) : 3;
  const receiver = new OtlpHttpReceiver({ address: '127.0.0.1:0', next: { consumeTraces: async () => undefined }, logger: silentLogger() });
  await receiver.start();
  try {
    await run(receiver.port, 'bomb (over the element budget)', Math.floor((16 * MIB - 64) / 3), copies);
    await run(receiver.port, 'heavy (within the element budget)', 240_000, 1);
  } finally {
    await receiver.shutdown({ graceMs: 0 });
  }
}

void main();
