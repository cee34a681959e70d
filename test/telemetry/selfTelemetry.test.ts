/**
 * The service's own traces, end to end: the enricher with self-telemetry on
 * (the real NodeSDK and OTLP/gRPC exporter) sends them to one gRPC sink, while
 * its pipeline exports enriched spans to another (the stand-in for Jaeger).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { sendSpans, startHarness, type Harness } from '../helpers/enricherHarness';
import { GrpcSink, attributesOf, type SinkSpan } from '../helpers/grpcSink';

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;

/** An enricher whose own traces go to `selfSink`. */
async function enricherWithSelfTelemetry(selfSink: GrpcSink, env: Record<string, string> = {}): Promise<Harness> {
  return startHarness({
    env: { ENRICHER_SELF_TELEMETRY: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: selfSink.endpoint, ENRICHER_LOOKUP_BUDGET_MS: '2000', ...env },
  });
}

function named(spans: SinkSpan[], name: string): SinkSpan[] {
  return spans.filter((s) => s.name === name);
}

/** Events of the spans named `name`, attributes unwrapped. */
function eventsOf(sink: GrpcSink, name: string): Array<{ name: string; attributes: Record<string, unknown> }> {
  const out: Array<{ name: string; attributes: Record<string, unknown> }> = [];
  for (const r of sink.requests) {
    for (const rs of (r.decoded.resourceSpans as any[]) ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          if (s.name !== name) continue;
          for (const e of s.events ?? []) out.push({ name: e.name, attributes: attributesOf(e.attributes) });
        }
      }
    }
  }
  return out;
}

function statusOf(sink: GrpcSink, name: string): number | undefined {
  for (const r of sink.requests) {
    for (const rs of (r.decoded.resourceSpans as any[]) ?? []) {
      for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) if (s.name === name) return s.status?.code;
    }
  }
  return undefined;
}

describe('self-telemetry', () => {
  it('traces a Genesys look-up at the self-telemetry endpoint, and sends nothing of its own through its receiver', async () => {
    const selfSink = await GrpcSink.start();
    const h = await enricherWithSelfTelemetry(selfSink, { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test' });
    try {
      const id = h.sim.org.active[0]!;
      await sendSpans(h.client('agent-desktop'), [id], { 'test.run': 'self' });
      const [enriched] = await h.sink.waitForSpans(1);
      assert.equal(enriched!.attributes['user.full_name'], h.sim.getUser(id)!.name);
    } finally {
      await h.close(); // shuts self-telemetry down last, which flushes its spans
      await selfSink.close();
    }

    const own = selfSink.spans();
    const [get] = named(own, 'genesys GET /api/v2/users');
    assert.ok(get, `no look-up span among ${own.map((s) => s.name).join(', ')}`);
    assert.equal(get.kind, SPAN_KIND_CLIENT);
    assert.equal(get.attributes['http.request.method'], 'GET');
    assert.equal(get.attributes['http.response.status_code'], 200);
    assert.equal(get.attributes['url.template'], '/api/v2/users');
    assert.equal(get.attributes['server.address'], '127.0.0.1');
    assert.ok(!Object.keys(get.attributes).some((k) => k.startsWith('url.full') || k.includes('query')), 'no query string: it holds user ids');

    const [call] = named(own, 'genesys getUsers');
    assert.ok(call, 'the client call wraps its HTTP requests');
    assert.equal(call.kind, SPAN_KIND_INTERNAL);
    assert.equal(get.parentSpanId, call.spanId);
    const [token] = named(own, 'genesys POST /oauth/token');
    assert.equal(token?.attributes['http.response.status_code'], 200);
    assert.equal(token?.parentSpanId, call.spanId);

    for (const s of own) {
      assert.equal(s.resource['service.name'], 'genesys-otel-enricher');
      assert.equal(s.resource['deployment.environment.name'], 'test');
      assert.equal(s.scope.name, 'genesys-otel-enricher');
    }
    const sent = Buffer.concat(selfSink.requests.map((r) => r.bytes)).toString('latin1');
    assert.ok(!sent.includes(h.sim.clientSecret), 'credentials never reach a span');

    const through = h.sink.spans();
    assert.ok(through.length > 0);
    assert.deepEqual([...new Set(through.map((s) => s.resource['service.name']))], ['agent-desktop'], 'only the application spans went through the pipeline');
  });

  it('traces an export that needed a retry', async () => {
    const selfSink = await GrpcSink.start();
    const h = await enricherWithSelfTelemetry(selfSink);
    try {
      h.sink.failNext(1, { code: grpc.status.UNAVAILABLE, details: 'jaeger restarting' });
      await sendSpans(h.client(), [undefined, undefined], { 'test.run': 'retry' });
      await h.sink.waitForSpans(2);
    } finally {
      await h.close();
      await selfSink.close();
    }
    const [retry] = named(selfSink.spans(), 'export retry');
    assert.ok(retry, `no export span among ${selfSink.spans().map((s) => s.name).join(', ')}`);
    assert.equal(retry.attributes['enricher.export.outcome'], 'sent');
    assert.equal(retry.attributes['enricher.export.attempts'], 2);
    assert.equal(retry.attributes['enricher.export.spans'], 2);
    const [failed] = eventsOf(selfSink, 'export retry');
    assert.equal(failed?.name, 'attempt failed');
    assert.match(String(failed?.attributes['enricher.export.reason']), /UNAVAILABLE|jaeger restarting/);
    assert.ok(Number(failed?.attributes['enricher.export.retry_in_ms']) >= 0);
    assert.notEqual(statusOf(selfSink, 'export retry'), STATUS_ERROR, 'delivered in the end');
  });

  it('exports nothing when the sampler says so (OTEL_TRACES_SAMPLER=always_off)', async () => {
    const selfSink = await GrpcSink.start();
    const h = await enricherWithSelfTelemetry(selfSink, { OTEL_TRACES_SAMPLER: 'always_off' });
    try {
      await sendSpans(h.client(), [h.sim.org.active[1]!]);
      await h.sink.waitForSpans(1);
    } finally {
      await h.close();
      await selfSink.close();
    }
    assert.equal(selfSink.calls, 0);
  });

  it('is off by default: no span is exported anywhere but the pipeline', async () => {
    const selfSink = await GrpcSink.start();
    const h = await startHarness({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: selfSink.endpoint, ENRICHER_LOOKUP_BUDGET_MS: '2000' } });
    try {
      await sendSpans(h.client('agent-desktop'), [h.sim.org.active[2]!]);
      await h.sink.waitForSpans(1);
    } finally {
      await h.close();
      await selfSink.close();
    }
    assert.equal(selfSink.calls, 0);
    assert.deepEqual([...new Set(h.sink.spans().map((s) => s.resource['service.name']))], ['agent-desktop']);
  });
});
