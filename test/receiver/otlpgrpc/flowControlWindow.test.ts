/**
 * The OTLP/gRPC receiver's HTTP/2 receive window (ENRICHER_OTLP_GRPC_WINDOW_KIB):
 * what a client sees in the server's SETTINGS and connection window, and
 * that node:http2 is left as it was found.
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { injectorWithWindow } from '../../../src/receiver/otlpgrpc/flowControlWindow';

/** The server's advertised stream window and the client's send window on the connection, once both are known. */
async function windowsSeenByClient(windowBytes: number | undefined): Promise<{ applied: boolean; streamWindow: number; connectionWindow: number }> {
  const server = new grpc.Server();
  const { injector, applied } = injectorWithWindow(server, grpc.ServerCredentials.createInsecure(), windowBytes);
  const tcp = net.createServer((socket) => injector.injectConnection(socket));
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const client = http2.connect(`http://127.0.0.1:${(tcp.address() as net.AddressInfo).port}`);
  client.on('error', () => undefined); // the server side goes away below; nothing to report
  try {
    const settings = await new Promise<http2.Settings>((resolve) => client.once('remoteSettings', resolve));
    // The connection-level WINDOW_UPDATE follows the SETTINGS frame: give it a moment to arrive.
    const deadline = Date.now() + 2000;
    while (windowBytes && (client.state.remoteWindowSize ?? 0) < windowBytes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return { applied, streamWindow: settings.initialWindowSize ?? 65_535, connectionWindow: client.state.remoteWindowSize ?? 0 };
  } finally {
    await new Promise<void>((resolve) => client.close(resolve));
    tcp.close();
    injector.destroy();
    server.forceShutdown();
  }
}

describe('the OTLP/gRPC receiver HTTP/2 window', () => {
  it('advertises the configured window per stream and per connection', async () => {
    const seen = await windowsSeenByClient(1024 * 1024);
    assert.equal(seen.applied, true);
    assert.equal(seen.streamWindow, 1024 * 1024);
    assert.equal(seen.connectionWindow, 1024 * 1024);
  });

  it('keeps the 64 KiB default when none is configured', async () => {
    const seen = await windowsSeenByClient(undefined);
    assert.equal(seen.streamWindow, 65_535);
    assert.equal(seen.connectionWindow, 65_535);
  });

  it('leaves node:http2 as it found it', () => {
    const [createServer, createSecureServer] = [http2.createServer, http2.createSecureServer];
    const server = new grpc.Server();
    const { injector } = injectorWithWindow(server, grpc.ServerCredentials.createInsecure(), 4 * 1024 * 1024);
    assert.equal(http2.createServer, createServer);
    assert.equal(http2.createSecureServer, createSecureServer);
    injector.destroy();
    server.forceShutdown();
  });
});
