/**
 * The exporter towards a TLS endpoint with a custom CA, with extra metadata,
 * and what gzip looks like on the wire (seen by a bare HTTP/2 server, below
 * grpc-js, which would decompress before anyone could look).
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, it } from 'node:test';
import { OtlpGrpcExporter, type OtlpGrpcExporterOptions } from '../../../src/exporter/otlpgrpc/index';
import { TRACE_EXPORT_PATH } from '../../../src/otlp/protos';
import { silentLogger } from '../../../src/telemetry/logger';
import { readCert } from '../../helpers/certs';
import { sinkTlsCredentials } from '../../helpers/enricherHarness';
import { GrpcSink } from '../../helpers/grpcSink';
import { encodeRequest, makeRequest } from '../../helpers/otlpFixtures';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const batch = (spans = 3) => ({ bytes: encodeRequest(makeRequest({ spans })), spanCount: spans });

async function exporterTo(endpoint: string, options: Partial<OtlpGrpcExporterOptions> = {}): Promise<OtlpGrpcExporter> {
  const exporter = new OtlpGrpcExporter({ endpoint, logger: silentLogger(), timeoutMs: 3_000, ...options });
  await exporter.start();
  cleanups.push(() => exporter.shutdown());
  return exporter;
}

async function tlsSink(): Promise<GrpcSink> {
  const sink = await GrpcSink.start({ credentials: sinkTlsCredentials() });
  cleanups.push(() => sink.close());
  return sink;
}

/** One Export call as a bare HTTP/2 server sees it: headers and the raw gRPC message frame. */
interface WireCall {
  readonly headers: http2.IncomingHttpHeaders;
  readonly frame: Buffer;
}

/** An h2c server answering every call OK with an empty response, recording what came in. */
async function wireRecorder(): Promise<{ endpoint: string; calls: WireCall[] }> {
  const calls: WireCall[] = [];
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      calls.push({ headers, frame: Buffer.concat(chunks) });
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.from([0, 0, 0, 0, 0])); // one uncompressed, empty ExportTraceServiceResponse
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

describe('OtlpGrpcExporter security and compression', () => {
  it('exports over TLS to an https:// endpoint whose certificate chains to the given CA', async () => {
    const sink = await tlsSink();
    const exporter = await exporterTo(`https://localhost:${sink.port}`, { rootCerts: readCert('ca') });
    const sent = batch(4);

    assert.equal((await exporter.send(sent)).status, 'success');
    assert.deepEqual(sink.requests[0].bytes, sent.bytes);
  });

  it('fails retryably, without sending, when the endpoint certificate is not trusted', async () => {
    const sink = await tlsSink();
    const systemRoots = await exporterTo(`https://localhost:${sink.port}`);
    const result = await systemRoots.send(batch());
    assert.equal(result.status, 'retryable');
    assert.equal(sink.calls, 0);
  });

  it('sends the configured headers as metadata on every call', async () => {
    const sink = await tlsSink();
    const exporter = await exporterTo(`https://localhost:${sink.port}`, {
      rootCerts: readCert('ca'),
      headers: { authorization: 'Bearer export-token', 'x-tenant': 'acme' },
    });
    await exporter.send(batch());
    await exporter.send(batch());
    for (const request of sink.requests) {
      assert.deepEqual(request.metadata.get('authorization'), ['Bearer export-token']);
      assert.deepEqual(request.metadata.get('x-tenant'), ['acme']);
    }
    assert.equal(sink.requests.length, 2);
  });

  it('puts gzip on the wire when asked: grpc-encoding gzip and a compressed message frame', async () => {
    const wire = await wireRecorder();
    const sent = batch(20);
    const gzip = await exporterTo(wire.endpoint, { compression: 'gzip' });
    const plain = await exporterTo(wire.endpoint, { compression: 'none' });

    assert.equal((await gzip.send(sent)).status, 'success');
    assert.equal((await plain.send(sent)).status, 'success');

    const [zipped, raw] = wire.calls;
    assert.equal(zipped.headers[':path'], TRACE_EXPORT_PATH);
    assert.equal(zipped.headers['grpc-encoding'], 'gzip');
    assert.equal(zipped.frame[0], 1, 'the message frame is flagged compressed');
    assert.deepEqual(gunzipSync(zipped.frame.subarray(5)), sent.bytes);
    assert.ok(zipped.frame.length < sent.bytes.length, 'smaller on the wire');
    assert.equal(raw.frame[0], 0, 'compression none sends the frame as is');
    assert.deepEqual(raw.frame.subarray(5), sent.bytes);
  });
});
