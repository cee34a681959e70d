import * as grpc from '@grpc/grpc-js';
import type http2 from 'node:http2';
import net from 'node:net';
import { splitAddress } from '../../util/address';
import type { ConnectionLimit } from '../connectionLimit';
import { injectorWithWindow } from './flowControlWindow';

/** A TCP listener feeding a grpc-js server. */
export interface TcpListener {
  /** The bound port (the real one for port 0). */
  readonly port: number;
  /** Stops accepting connections; the grpc-js server closes the ones it has. */
  close(): void;
}

/**
 * Serves `server` on `address` (host:port, IPv6 in brackets) with TCP_NODELAY
 * on every accepted socket. grpc-js's own bindAsync leaves Nagle's algorithm
 * on for server sockets, which holds back the small HTTP/2 frames (WINDOW_UPDATE,
 * response headers) a request waits for; Go servers such as the Collector set
 * TCP_NODELAY. grpc-js's public connection injector takes sockets from a
 * `net.Server` of ours instead. A host name listens on the first address it
 * resolves to (bindAsync would listen on all of them).
 */
export async function listenNoDelay(
  server: grpc.Server,
  credentials: grpc.ServerCredentials,
  address: string,
  onError: (err: Error) => void,
  /** HTTP/2 receive window, bytes (see flowControlWindow.ts); undefined keeps 64 KiB. */
  windowBytes?: number,
  /** Called when grpc-js did not let the window be applied. */
  onWindowIgnored?: () => void,
  /** Connection cap and idle timeout of the TCP listener, and a watch on grpc-js's HTTP/2 server. */
  hooks: { readonly connections?: ConnectionLimit; readonly onHttp2Server?: (h2: http2.Http2Server | http2.Http2SecureServer) => void } = {},
): Promise<TcpListener> {
  const { host, port } = splitAddress(address);
  const { injector, applied } = injectorWithWindow(server, credentials, windowBytes, hooks.onHttp2Server);
  if (!applied && windowBytes !== undefined) onWindowIgnored?.();
  const tcp = net.createServer({ noDelay: true }, (socket) => injector.injectConnection(socket));
  hooks.connections?.apply(tcp, { idleOnSockets: false }); // HTTP/2 idle: see ConnectionLimit.watchSessions
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, host, () => {
        tcp.off('error', reject);
        tcp.on('error', onError); // e.g. EMFILE on accept: reported, never an uncaught 'error' event
        resolve();
      });
    });
  } catch (err) {
    injector.destroy();
    throw err;
  }
  return {
    port: (tcp.address() as net.AddressInfo).port,
    close: () => tcp.close(),
  };
}
