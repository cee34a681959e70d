import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import type { GenesysClient } from '../../src/directory/genesys/genesysClient';
import type { RunningSimulator } from '../../src/simulator/types';
import { FAST_RETRY, clientFor, startSim } from '../directory/support/directoryFixtures';

describe('self-telemetry of the Genesys client', () => {
  let sim: RunningSimulator;
  const spans = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const clients: GenesysClient[] = [];

  before(async () => {
    // Parent-child links need the async-local context manager the NodeSDK registers too.
    provider.register();
    sim = await startSim();
  });
  after(async () => {
    for (const c of clients) c.close();
    await sim.close();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  function client(): GenesysClient {
    const c = clientFor(sim, { tracer: provider.getTracer('test') });
    clients.push(c);
    return c;
  }

  function resetFaults(): void {
    for (const key of Object.keys(sim.faults) as (keyof typeof sim.faults)[]) delete sim.faults[key];
    spans.reset();
  }

  const childrenOf = (parent: ReadableSpan) => spans.getFinishedSpans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

  it('names HTTP spans by method and path template, ids masked', async () => {
    resetFaults();
    const id = sim.org.active[0]!;
    await client().call('getUser', (apis) => apis.users.getUser(id));
    const [call] = spans.getFinishedSpans().filter((s) => s.name === 'genesys getUser');
    assert.ok(call);
    assert.deepEqual(childrenOf(call).map((s) => s.name).sort(), ['genesys GET /api/v2/users/{id}', 'genesys POST /oauth/token']);
    const get = childrenOf(call).find((s) => s.name.startsWith('genesys GET'))!;
    assert.equal(get.kind, SpanKind.CLIENT);
    assert.equal(get.attributes['url.template'], '/api/v2/users/{id}');
    assert.ok(!JSON.stringify(spans.getFinishedSpans().map((s) => s.attributes)).includes(id), 'no user id in any attribute');
  });

  it('records every failed attempt and the give-up on the call span', async () => {
    resetFaults();
    const c = client();
    await c.call('getUser', (apis) => apis.users.getUser(sim.org.active[0]!)); // token first
    spans.reset();
    sim.faults.outage = true;
    await assert.rejects(c.call('getUser', (apis) => apis.users.getUser(sim.org.active[1]!)));
    const [call] = spans.getFinishedSpans().filter((s) => s.name === 'genesys getUser');
    assert.equal(call!.status.code, SpanStatusCode.ERROR);
    assert.equal(call!.attributes['error.type'], 'service.unavailable');
    assert.equal(call!.attributes['http.response.status_code'], 503);
    assert.equal(call!.attributes['error.retryable'], true);
    const attempts = childrenOf(call!);
    assert.equal(attempts.length, FAST_RETRY.maxAttempts);
    for (const a of attempts) {
      assert.equal(a.attributes['http.response.status_code'], 503);
      assert.equal(a.attributes['error.type'], '503');
      assert.equal(a.status.code, SpanStatusCode.ERROR);
    }
  });

  it('marks requests that got no answer with the network error code', async () => {
    resetFaults();
    const c = client();
    await c.call('getUser', (apis) => apis.users.getUser(sim.org.active[0]!));
    spans.reset();
    sim.faults.outage = true;
    sim.faults.outageMode = 'reset';
    await assert.rejects(c.call('getUser', (apis) => apis.users.getUser(sim.org.active[0]!)));
    const http = spans.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
    assert.ok(http.length > 0);
    for (const s of http) {
      assert.equal(s.attributes['http.response.status_code'], undefined);
      assert.match(String(s.attributes['error.type']), /^E[A-Z]+|network$/);
      assert.equal(s.status.code, SpanStatusCode.ERROR);
    }
  });
});
