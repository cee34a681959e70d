/**
 * The whole service under hostile or unlucky traffic (issue 16): an OTLP/JSON
 * body bomb, uploads that stop short of their end over both receivers, and
 * more connections than the receiver's cap. Each time the service must stay
 * responsive (event loop, /healthz), keep its memory bounded, give the memory
 * back, and take real exports again.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { TRACE_EXPORT_PATH } from '../../src/otlp/protos';
import { createLogger } from '../../src/telemetry/logger';
import { sendSpans, startHarness, type Harness } from '../helpers/enricherHarness';
import { decodeStatus, rawHttp } from '../helpers/rawHttpClient';

const MIB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use plus external memory after a full collection: what the service still holds. */
function heldBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Asks GET /healthz every 25 ms; records the slowest answer and any that failed or took over 1 s. */
function healthProbe(adminPort: number) {
  let slowestMs = 0;
  let failures = 0;
  let answers = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const ok = await new Promise<boolean>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port: adminPort, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200));
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => resolve(false));
      });
      slowestMs = Math.max(slowestMs, performance.now() - started);
      if (ok) answers++;
      else failures++;
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { slowestMs, failures, answers };
    },
  };
}

/** The event loop's longest delay while `work` runs, ms (10 ms resolution), and the peak of heap + external memory. */
async function measure(work: () => Promise<void>): Promise<{ maxDelayMs: number; peakHeldBytes: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let peak = 0;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.external);
  }, 5);
  delay.enable();
  try {
    await work();
  } finally {
    delay.disable();
    clearInterval(sample);
  }
  return { maxDelayMs: delay.max / 1e6, peakHeldBytes: peak };
}

/**
 * Posts `copies` OTLP/JSON bodies of `spans` empty spans at once from a child
 * process, so the event loop measured here is the service's alone; resolves
 * with each answer's status and message.
 */
function postFromChild(port: number, spans: number, copies: number): Promise<Array<{ status: number; message?: string }>> {
  const script = `
    const http = require('node:http');
    const body = Buffer.concat([Buffer.from('{"resourceSpans":[{"scopeSpans":[{"spans":['), Buffer.alloc(${spans} * 3 - 1, '{},'), Buffer.from(']}]}]}')]);
    process.send('ready');
    process.once('message', () => {
      Promise.all(Array.from({ length: ${copies} }, () => new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: ${port}, method: 'POST', path: '/v1/traces', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, message: JSON.parse(Buffer.concat(chunks).toString()).message }));
        });
        req.on('error', reject);
        req.end(body);
      }))).then((answers) => process.send(answers, () => process.exit(0)));
    });`;
  const child = fork('-e', [script], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] } as never);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`sender exited with ${code}`)));
    child.once('message', () => {
      // Built and ready: only now does the measured part start.
      child.once('message', (answers) => resolve(answers as Array<{ status: number; message?: string }>));
      child.send('go');
    });
  });
}

function postJson(port: number, body: Buffer): Promise<{ status: number; message?: string }> {
  return rawHttp(`http://127.0.0.1:${port}/v1/traces`, { headers: { 'content-type': 'application/json' }, body }).then((res) => ({
    status: res.status,
    message: decodeStatus(res).message,
  }));
}

/** Waits up to 3 s for the memory held (after collection) to fall within `slackMiB` of `baseline`; the MiB above it. */
async function releasedTo(baseline: number, slackMiB: number): Promise<number> {
  let above = (heldBytes() - baseline) / MIB;
  for (let i = 0; i < 30 && above >= slackMiB; i++) {
    await new Promise((r) => setTimeout(r, 100));
    above = (heldBytes() - baseline) / MIB;
  }
  return above;
}

describe('an OTLP/JSON body bomb', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '2000' } });
  });
  after(() => h.close());

  it('is refused before parsing, three at once, while the event loop and /healthz keep answering and memory stays within a few bodies', async (t) => {
    const bombSpans = Math.floor((16 * MIB - 64) / 3); // 16 MiB: 5.6 million empty spans
    const baseline = heldBytes();
    const sending = postFromChild(h.service.httpPort!, bombSpans, 3);
    const probe = healthProbe(h.service.adminPort);
    let answers: Array<{ status: number; message?: string }> = [];
    const { maxDelayMs, peakHeldBytes } = await measure(async () => {
      answers = await sending;
    });
    const health = await probe.stop();

    t.diagnostic(`event loop max delay ${maxDelayMs.toFixed(0)} ms; /healthz slowest ${health.slowestMs.toFixed(0)} ms over ${health.answers} answers; heap + external grew ${((peakHeldBytes - baseline) / MIB).toFixed(0)} MiB`);
    for (const answer of answers) {
      assert.equal(answer.status, 400);
      assert.match(answer.message ?? '', /more than 500000 elements/);
    }
    // Before: 14 s blocked and 2.3 GiB per bomb. Now the bodies are copied into place as they
    // arrive and measured on a worker thread: about 20 ms on a quiet machine (the bound leaves
    // room for a loaded CI machine; figures come from the diagnostic, not this assertion).
    assert.ok(maxDelayMs < 500, `event loop blocked ${maxDelayMs.toFixed(0)} ms`);
    assert.equal(health.failures, 0, `/healthz failed ${health.failures} times (slowest ${health.slowestMs.toFixed(0)} ms)`);
    assert.ok(health.answers > 0);
    // Each body is held once, plus the socket's chunks it was copied from until they are
    // collected: at most twice its size (before: 150 times). Nothing is parsed.
    const grownMiB = (peakHeldBytes - baseline) / MIB;
    assert.ok(grownMiB < 2 * 3 * 16 + 16, `heap + external grew ${grownMiB.toFixed(0)} MiB for 3 x 16 MiB bodies`);
  });

  it('refuses the million empty spans (3 MiB) that used to be taken at 554 MiB', async () => {
    const [answer] = await postFromChild(h.service.httpPort!, 1_000_000, 1);
    assert.equal(answer.status, 400);
    assert.match(answer.message ?? '', /more than 500000 elements/);
  });

  it('takes a heavy body within the element budget off the event loop, and converts it', async (t) => {
    const sending = postFromChild(h.service.httpPort!, 240_000, 1); // 480,000 elements: within the 500,000 budget
    const probe = healthProbe(h.service.adminPort);
    let answer: { status: number; message?: string } = { status: 0 };
    const { maxDelayMs } = await measure(async () => {
      [answer] = await sending;
    });
    const health = await probe.stop();
    t.diagnostic(`event loop max delay ${maxDelayMs.toFixed(0)} ms; /healthz slowest ${health.slowestMs.toFixed(0)} ms`);
    assert.equal(answer.status, 200, answer.message);
    assert.ok(maxDelayMs < 500, `event loop blocked ${maxDelayMs.toFixed(0)} ms (the conversion takes seconds; it runs on a worker thread)`);
    assert.equal(health.failures, 0);
  });

  it('still takes ordinary OTLP/JSON afterwards', async () => {
    const user = h.sim.org.active[0];
    const body = Buffer.from(
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0123456789abcdef0123456789abcdef', spanId: '0123456789abcdef', name: 'after-bomb', attributes: [{ key: 'external.user.id', value: { stringValue: user } }] }] }] }],
      }),
    );
    const before = h.sink.spans().length;
    assert.equal((await postJson(h.service.httpPort!, body)).status, 200);
    const spans = await h.sink.waitForSpans(before + 1);
    const span = spans.find((s) => s.name === 'after-bomb')!;
    assert.equal(span.attributes['user.full_name'], h.sim.getUser(user)!.name);
  });
});

describe('uploads that stop short of their end', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ENRICHER_OTLP_RECEIVE_TIMEOUT_MS: '1000', ENRICHER_MEMORY_LIMIT_MIB: '4096', ENRICHER_LOOKUP_BUDGET_MS: '2000' } });
  });
  after(() => h.close());

  it('over OTLP/HTTP: each is answered 408 once the receive deadline passes, its connection closed and its memory released', async () => {
    const part = Buffer.alloc(4 * MIB, 0x7b);
    const baseline = heldBytes();
    const started = performance.now();
    const uploads = Promise.all(
      Array.from({ length: 10 }, () =>
        new Promise<{ status: number; closedAfterMs: number }>((resolve, reject) => {
          const req = http.request({
            host: '127.0.0.1',
            port: h.service.httpPort,
            path: '/v1/traces',
            method: 'POST',
            agent: false,
            headers: { 'content-type': 'application/x-protobuf', 'content-length': 8 * MIB },
          });
          let status = 0;
          req.on('response', (res) => {
            status = res.statusCode ?? 0;
            res.resume();
          });
          req.on('close', () => resolve({ status, closedAfterMs: performance.now() - started }));
          req.on('error', () => undefined); // the server closes mid-upload: expected
          req.write(part, (err) => err && reject(err));
        }),
      ),
    );
    // Half-way to the deadline the service holds what it received: that is what must be given back.
    await new Promise((r) => setTimeout(r, 500));
    const heldMiB = (heldBytes() - baseline) / MIB;
    const outcomes = await uploads;
    for (const { status, closedAfterMs } of outcomes) {
      assert.equal(status, 408);
      assert.ok(closedAfterMs >= 900 && closedAfterMs < 5000, `closed after ${closedAfterMs.toFixed(0)} ms`);
    }
    assert.ok(heldMiB > 30, `only ${heldMiB.toFixed(1)} MiB held during the uploads`);
    const leftMiB = await releasedTo(baseline, 8);
    assert.ok(leftMiB < 8, `${leftMiB.toFixed(1)} MiB still held after 40 MiB of partial uploads`);
    const refused = await refusedRequests(h, 'http', 'receive_timeout');
    assert.equal(refused, 10);
  });

  it('over OTLP/gRPC: each stream is cancelled once the receive deadline passes and its buffered bytes released', async () => {
    const part = Buffer.alloc(4 * MIB, 0x0a);
    const baseline = heldBytes();
    const session = http2.connect(`http://127.0.0.1:${h.service.grpcPort}`);
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(8 * MIB, 1); // uncompressed message of 8 MiB, of which 4 MiB ever arrive
    const started = performance.now();
    let heldMiB = 0;
    try {
      const streams = Promise.all(
        Array.from({ length: 10 }, () => {
          const stream = session.request({ ':method': 'POST', ':path': TRACE_EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers' });
          stream.write(prefix);
          stream.write(part);
          stream.on('error', () => undefined);
          stream.resume();
          return new Promise<{ rstCode: number; closedAfterMs: number }>((resolve) => stream.on('close', () => resolve({ rstCode: stream.rstCode, closedAfterMs: performance.now() - started })));
        }),
      );
      await new Promise((r) => setTimeout(r, 500));
      heldMiB = (heldBytes() - baseline) / MIB;
      const outcomes = await streams;
      for (const { rstCode, closedAfterMs } of outcomes) {
        assert.equal(rstCode, http2.constants.NGHTTP2_CANCEL);
        assert.ok(closedAfterMs >= 900 && closedAfterMs < 5000, `cancelled after ${closedAfterMs.toFixed(0)} ms`);
      }
    } finally {
      session.destroy();
    }
    assert.ok(heldMiB > 30, `only ${heldMiB.toFixed(1)} MiB held during the uploads`);
    const leftMiB = await releasedTo(baseline, 8);
    assert.ok(leftMiB < 8, `${leftMiB.toFixed(1)} MiB still held after 40 MiB of partial streams`);
    assert.equal(await refusedRequests(h, 'grpc', 'receive_timeout'), 10);
  });

  it('leaves no refusal behind: real exports are taken over both receivers and /readyz says ready', async () => {
    const user = h.sim.org.active[1];
    const before = h.sink.spans().length;
    await sendSpans(h.client(), [user], { 'test.run': 'after-partial' });
    const json = Buffer.from(
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0123456789abcdef0123456789abcdef', spanId: '0123456789abcdef', name: 'json-after-partial' }] }] }] }),
    );
    assert.equal((await postJson(h.service.httpPort!, json)).status, 200);
    const spans = await h.sink.waitForSpans(before + 2);
    assert.ok(spans.some((s) => s.attributes['test.run'] === 'after-partial' && s.attributes['user.full_name'] === h.sim.getUser(user)!.name));
    assert.equal((await adminGet(h.service.adminPort, '/readyz')).status, 200);
  });
});

describe('more connections than the receiver cap', () => {
  let h: Harness;
  const logs: Array<{ msg: string; refusedConnections?: number }> = [];
  before(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line));
        done();
      },
    });
    h = await startHarness({ env: { ENRICHER_OTLP_MAX_CONNECTIONS: '20' }, logger: createLogger({ level: 'warn', destination }) });
  });
  after(() => h.close());

  it('closes connections over the cap as they arrive, counts and logs it once per interval, and /healthz keeps answering', async () => {
    const held: net.Socket[] = [];
    try {
      for (let i = 0; i < 20; i++) held.push(await connect(h.service.grpcPort));
      await new Promise((r) => setTimeout(r, 100));
      const over = await Promise.all(Array.from({ length: 5 }, () => connect(h.service.grpcPort).then(closedWithin)));
      for (const closed of over) assert.ok(closed, 'a connection over the cap is closed by the server');
      assert.equal((await adminGet(h.service.adminPort, '/healthz')).status, 200);

      const metrics = (await adminGet(h.service.adminPort, '/metrics')).body;
      assert.match(metrics, /enricher_receiver_refused_connections_total\{transport="grpc"\} 5\b/);
      assert.match(metrics, /enricher_receiver_open_connections\{transport="grpc"\} 20\b/);
      const lines = logs.filter((l) => l.msg.startsWith('connection cap reached'));
      assert.equal(lines.length, 1, 'one warning for the burst, not one per connection');
      assert.equal(lines[0].refusedConnections, 1, 'the first refusal is logged at once; the rest are summed into the next line');
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  it('takes exports again once connections are free', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const user = h.sim.org.active[2];
    const before = h.sink.spans().length;
    await sendSpans(h.client(), [user], { 'test.run': 'after-cap' });
    const spans = await h.sink.waitForSpans(before + 1);
    assert.ok(spans.some((s) => s.attributes['test.run'] === 'after-cap'));
  });
});

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** True when the server closes the socket within 2 s. */
function closedWithin(socket: net.Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 2000);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.resume();
  });
}

function adminGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

async function refusedRequests(h: Harness, transport: string, reason: string): Promise<number> {
  const metrics = (await adminGet(h.service.adminPort, '/metrics')).body;
  const line = metrics.split('\n').find((l) => l.startsWith(`enricher_receiver_refused_requests_total{transport="${transport}",reason="${reason}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
