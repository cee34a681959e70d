/**
 * /metrics of a multi-worker process answers for all workers together:
 * counters and histograms summed, gauges per worker (label `worker`),
 * whichever worker takes the scrape.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { aggregateWorkerMetrics } from '../../src/cluster/metricsAggregate';
import { TRACE_EXPORT_PATH } from '../../src/otlp/protos';
import { startSimulator, type Simulator } from '../../src/simulator/index';
import { GrpcSink } from '../helpers/grpcSink';
import { encodeRequest } from '../helpers/otlpFixtures';

const MAIN = path.resolve(__dirname, '../../src/cli/main.js');

describe('aggregateWorkerMetrics', () => {
  it('sums counters and histograms by labels, and keeps gauges per worker', () => {
    const worker = (id: number, accepted: number, queued: number, seconds: number) => ({
      worker: id,
      families: [
        { name: 'accepted_total', help: 'Accepted.', type: 'counter' as const, samples: [{ labels: { transport: 'grpc' }, value: accepted }, { labels: { transport: 'http' }, value: 1 }] },
        { name: 'queued', help: 'Queued.', type: 'gauge' as const, samples: [{ value: queued }] },
        { name: 'took_seconds', help: 'Took.', type: 'histogram' as const, samples: [{ buckets: [{ le: 0.1, count: seconds < 0.1 ? 1 : 0 }, { le: 1, count: 1 }], sum: seconds, count: 1 }] },
      ],
    });
    const text = aggregateWorkerMetrics([worker(1, 5, 2, 0.05), worker(2, 7, 3, 0.5)]).render();
    assert.match(text, /^accepted_total\{transport="grpc"\} 12$/m);
    assert.match(text, /^accepted_total\{transport="http"\} 2$/m);
    assert.match(text, /^queued\{worker="1"\} 2$/m);
    assert.match(text, /^queued\{worker="2"\} 3$/m);
    assert.match(text, /^took_seconds_bucket\{le="0.1"\} 1$/m);
    assert.match(text, /^took_seconds_bucket\{le="1"\} 2$/m);
    assert.match(text, /^took_seconds_count 2$/m);
    assert.match(text, /^took_seconds_sum 0.55$/m);
  });
});

describe('serve with ENRICHER_WORKERS=2: /metrics', () => {
  let sim: Simulator;
  let sink: GrpcSink;
  before(async () => {
    sim = await startSimulator({ port: 0 });
    sink = await GrpcSink.start();
  });
  after(async () => {
    await sink.close();
    await sim.close();
  });

  it('answers for both workers together, whichever worker takes the scrape', async () => {
    const child = spawn(process.execPath, [MAIN, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        ENRICHER_WORKERS: '2',
        ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0',
        ENRICHER_OTLP_HTTP_ADDRESS: 'off',
        ENRICHER_ADMIN_ADDRESS: '127.0.0.1:0',
        ENRICHER_EXPORT_OTLP_ENDPOINT: sink.endpoint,
        ENRICHER_SHUTDOWN_GRACE_MS: '1000',
        GENESYS_CLIENT_ID: sim.clientId,
        GENESYS_CLIENT_SECRET: sim.clientSecret,
        GENESYS_API_URL: sim.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    try {
      const started = await waitForLine(() => out, 'genesys-otel-enricher workers started');
      const REQUESTS = 8;
      // Connections are dealt round-robin: eight of them reach both workers.
      for (let i = 0; i < REQUESTS; i++) {
        await exportOnOwnConnection(started.grpcPort, encodeRequest({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 3), spanId: Buffer.alloc(8, i + 1), name: `m-${i}` }] }] }] }));
      }
      await sink.waitForSpans(REQUESTS);
      for (let scrape = 0; scrape < 4; scrape++) {
        // A fresh connection each time, so scrapes land on either worker.
        const res = await fetch(`http://127.0.0.1:${started.adminPort}/metrics`, { headers: { connection: 'close' } });
        const text = await res.text();
        assert.equal(res.status, 200);
        assert.match(text, new RegExp(`^otelcol_receiver_accepted_spans\\{receiver="otlp",transport="grpc"\\} ${REQUESTS}$`, 'm'), text.slice(0, 2000));
        assert.match(text, /^process_start_time_seconds\{worker="\d+"\} /m);
        assert.equal((text.match(/^process_start_time_seconds\{/gm) ?? []).length, 2, 'one series per worker');
      }
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

async function waitForLine(out: () => string, msg: string): Promise<{ grpcPort: number; adminPort: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const line = out()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; grpcPort: number; adminPort: number })
      .find((l) => l.msg === msg);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no "${msg}" line: ${out()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function exportOnOwnConnection(port: number, bytes: Buffer): Promise<void> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  const identity = (b: Buffer): Buffer => b;
  try {
    await new Promise<void>((resolve, reject) =>
      client.makeUnaryRequest(TRACE_EXPORT_PATH, identity, identity, bytes, { deadline: Date.now() + 10_000 }, (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    client.close();
  }
}
