/**
 * The whole service as configured by environment variables: spans sent over
 * OTLP/HTTP (protobuf and JSON, real SDK exporters) arrive enriched at the
 * sink standing in for Jaeger; and with TLS, mTLS and a bearer token on both
 * receivers, TLS with a custom CA and metadata towards the sink.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { configFromEnv } from '../../src/config/index';
import { startService } from '../../src/service/index';
import { silentLogger } from '../../src/telemetry/logger';
import { readCert, tlsEnv } from '../helpers/certs';
import { sendSpans, startHarness, type Harness } from '../helpers/enricherHarness';
import type { SinkSpan } from '../helpers/grpcSink';
import { createOtelClient } from '../helpers/otelClient';
import { createOtelHttpClient } from '../helpers/otelHttpClient';
import type { OtelClient } from '../helpers/otelClient';

function byRun(spans: SinkSpan[], run: string): SinkSpan[] {
  return spans.filter((s) => s.attributes['test.run'] === run);
}

describe('the enricher fed over OTLP/HTTP', () => {
  let h: Harness;
  const clients: OtelClient[] = [];
  before(async () => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '2000' } });
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.shutdown()));
    await h.close();
  });

  for (const encoding of ['protobuf', 'json'] as const) {
    it(`stamps spans the SDK sent as ${encoding} and forwards them over OTLP/gRPC`, async () => {
      const client = createOtelHttpClient({ url: `http://127.0.0.1:${h.service.httpPort}/v1/traces`, encoding, compression: 'gzip' });
      clients.push(client);
      const [active, deleted] = [h.sim.org.active[0], h.sim.org.deleted[0]];
      const before = h.sink.spans().length;

      await sendSpans(client, [active, deleted, undefined], { 'test.run': encoding });

      const spans = byRun(await h.sink.waitForSpans(before + 3), encoding);
      const [a, d, none] = ['op-0', 'op-1', 'op-2'].map((name) => spans.find((s) => s.name === name)!);
      assert.equal(a.attributes['user.full_name'], h.sim.getUser(active)!.name);
      assert.equal(a.attributes['genesys.user.state'], 'active');
      assert.equal(d.attributes['genesys.user.state'], 'deleted');
      assert.equal(none.attributes['user.full_name'], undefined);
      assert.equal(a.resource['service.name'], 'test-service');
    });
  }
});

describe('the enricher with TLS, mTLS and bearer tokens end to end', () => {
  const TOKEN = 'receiver-token-42';
  let h: Harness;
  const clients: OtelClient[] = [];
  before(async () => {
    h = await startHarness({
      sinkTls: true,
      env: {
        ...tlsEnv({ mtls: true }),
        ENRICHER_RECEIVER_BEARER_TOKEN: TOKEN,
        ENRICHER_EXPORT_HEADERS: 'authorization=Bearer%20sink-token,x-tenant=acme',
        ENRICHER_LOOKUP_BUDGET_MS: '2000',
      },
    });
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.shutdown()));
    await h.close();
  });

  const clientTls = { ca: readCert('ca'), cert: readCert('client'), key: readCert('client', 'key') };

  it('takes spans over HTTPS and gRPC+TLS from authenticated clients with certificates, and exports them enriched over TLS', async () => {
    const http = createOtelHttpClient({
      url: `https://localhost:${h.service.httpPort}/v1/traces`,
      encoding: 'json',
      headers: { authorization: `Bearer ${TOKEN}` },
      tls: clientTls,
    });
    const grpcClient = createOtelClient({
      port: h.service.grpcPort,
      credentials: grpc.credentials.createSsl(clientTls.ca, clientTls.key, clientTls.cert),
      metadata: { authorization: `Bearer ${TOKEN}` },
    });
    clients.push(http, grpcClient);
    const user = h.sim.org.active[1];

    await sendSpans(http, [user], { 'test.run': 'https' });
    await sendSpans(grpcClient, [user], { 'test.run': 'grpcs' });

    const spans = await h.sink.waitForSpans(2);
    for (const run of ['https', 'grpcs']) {
      assert.equal(byRun(spans, run)[0]?.attributes['user.full_name'], h.sim.getUser(user)!.name, run);
    }
    for (const request of h.sink.requests) {
      assert.deepEqual(request.metadata.get('authorization'), ['Bearer sink-token'], 'ENRICHER_EXPORT_HEADERS, percent-decoded');
      assert.deepEqual(request.metadata.get('x-tenant'), ['acme']);
    }
  });

  it('refuses clients without the token, over either protocol', async () => {
    const http = createOtelHttpClient({ url: `https://localhost:${h.service.httpPort}/v1/traces`, encoding: 'protobuf', tls: clientTls });
    const grpcClient = createOtelClient({ port: h.service.grpcPort, credentials: grpc.credentials.createSsl(clientTls.ca, clientTls.key, clientTls.cert) });
    clients.push(http, grpcClient);
    http.tracer.startSpan('no-token').end();
    grpcClient.tracer.startSpan('no-token').end();
    await assert.rejects(http.flush(), /Unauthorized|401/);
    await assert.rejects(grpcClient.flush(), /UNAUTHENTICATED|16/);
  });
});

describe('turning the OTLP/HTTP receiver off', () => {
  it('runs without it when ENRICHER_OTLP_HTTP_ADDRESS is off', async () => {
    const config = configFromEnv({ ENRICHER_OTLP_GRPC_ADDRESS: '127.0.0.1:0', ENRICHER_ADMIN_ADDRESS: '127.0.0.1:0', ENRICHER_OTLP_HTTP_ADDRESS: 'off' });
    const service = await startService(config, { logger: silentLogger(), debugOutput: new PassThrough() });
    try {
      assert.equal(service.httpPort, undefined);
      assert.ok(service.grpcPort > 0);
    } finally {
      await service.shutdown();
    }
  });
});
