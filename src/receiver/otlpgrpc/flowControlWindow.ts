import type * as grpc from '@grpc/grpc-js';
import http2 from 'node:http2';

/** Largest HTTP/2 flow-control window (RFC 9113: 2^31-1 bytes). */
export const MAX_FLOW_CONTROL_WINDOW = 2 ** 31 - 1;
/** HTTP/2's (and grpc-js's) default window, bytes. */
export const DEFAULT_FLOW_CONTROL_WINDOW = 65_535;

type Factory = (options: http2.ServerOptions | http2.SecureServerOptions, ...rest: unknown[]) => http2.Http2Server | http2.Http2SecureServer;

/**
 * `server.createConnectionInjector(credentials)` with HTTP/2 receive windows
 * of `windowBytes` instead of 64 KiB: the per-stream window is advertised in
 * the server's SETTINGS (`initialWindowSize`), and each session's
 * connection-level window is raised with `setLocalWindowSize`.
 *
 * Why this way: grpc-js 1.14 reads `grpc-node.flow_control_window` only on
 * client channels (transport.ts); its server always creates its node:http2
 * server with Node's defaults, and offers no hook to reach the server or its
 * sessions. A 280 KiB request through 64 KiB windows waits for several
 * WINDOW_UPDATE round trips, and every connection's requests share one 64 KiB
 * connection window (measured in docs/performance.md). So, for the duration
 * of this synchronous call only, node:http2's server factories are wrapped
 * to add the setting; the originals are restored before it returns.
 * `applied` is false when grpc-js created its server some other way (a
 * future version): the call still succeeds, with the default windows (and
 * without `onHttp2Server`).
 * The option is passed on to grpc-js as well, which honours it once it
 * supports it on servers (grpc/grpc-node#3058).
 */
export function injectorWithWindow(
  server: grpc.Server,
  credentials: grpc.ServerCredentials,
  windowBytes: number | undefined,
  /** Called with the node:http2 server grpc-js creates, e.g. to watch its streams (see receiveDeadline.ts). */
  onHttp2Server?: (h2: http2.Http2Server | http2.Http2SecureServer) => void,
): { injector: ReturnType<grpc.Server['createConnectionInjector']>; applied: boolean } {
  const widen = windowBytes !== undefined && windowBytes > DEFAULT_FLOW_CONTROL_WINDOW;
  if (!widen && !onHttp2Server) {
    return { injector: server.createConnectionInjector(credentials), applied: windowBytes !== undefined };
  }
  const module = http2 as unknown as Record<'createServer' | 'createSecureServer', Factory>;
  const originals = { createServer: module.createServer, createSecureServer: module.createSecureServer };
  let applied = false;
  const widened = (original: Factory): Factory => (options, ...rest) => {
    applied = true;
    if (!widen) {
      const plain = original.call(http2, options, ...rest);
      onHttp2Server?.(plain);
      return plain;
    }
    const h2 = original.call(http2, { ...options, settings: { ...options?.settings, initialWindowSize: windowBytes } }, ...rest);
    onHttp2Server?.(h2);
    h2.on('session', (session: http2.ServerHttp2Session) => {
      try {
        session.setLocalWindowSize(windowBytes);
      } catch {
        // The session closed already: nothing to widen.
      }
    });
    return h2;
  };
  module.createServer = widened(originals.createServer);
  module.createSecureServer = widened(originals.createSecureServer);
  try {
    const injector = server.createConnectionInjector(credentials);
    return { injector, applied: widen ? applied : windowBytes !== undefined };
  } finally {
    module.createServer = originals.createServer;
    module.createSecureServer = originals.createSecureServer;
  }
}
