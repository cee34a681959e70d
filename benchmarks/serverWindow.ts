import http2 from 'node:http2';

/**
 * Runs `create` (which must create its grpc-js HTTP/2 server synchronously,
 * as `Server.createConnectionInjector` does) with node:http2's server
 * factories wrapped so that the server advertises a per-stream receive window
 * of `windowBytes` and raises each session's connection window to it.
 *
 * grpc-js 1.14 reads `grpc-node.flow_control_window` on the client side only
 * (transport.ts); its server always keeps Node's 64 KiB windows. This lets the
 * benchmark measure what a larger server window would bring (for the sink,
 * which stands in for a Go server whose BDP estimator grows its windows, and
 * for the passthrough variants that say so). The service does the same behind
 * ENRICHER_OTLP_GRPC_WINDOW_KIB (src/receiver/otlpgrpc/flowControlWindow.ts);
 * this copy stays here so the baseline does not depend on the code under test.
 */
export function withServerWindow<T>(windowBytes: number | undefined, create: () => T): T {
  if (!windowBytes) return create();
  const mutable = http2 as { createServer: typeof http2.createServer };
  const original = mutable.createServer;
  mutable.createServer = ((options: http2.ServerOptions, ...rest: unknown[]) => {
    const server = (original as (...a: unknown[]) => http2.Http2Server)({ ...options, settings: { ...options?.settings, initialWindowSize: windowBytes } }, ...rest);
    server.on('session', (session: http2.ServerHttp2Session) => session.setLocalWindowSize(windowBytes));
    return server;
  }) as typeof http2.createServer;
  try {
    return create();
  } finally {
    mutable.createServer = original;
  }
}
