import * as grpc from '@grpc/grpc-js';
import net from 'node:net';
import { TRACE_EXPORT_PATH } from '../src/otlp/protos';
import { withServerWindow } from './serverWindow';
export { RAW_TRACE_SERVICE } from '../src/otlp/rawTraceService';

const identity = (b: Buffer): Buffer => b;


/** The encoded empty ExportTraceServiceResponse ("all accepted"). */
export const EMPTY_EXPORT_RESPONSE = Buffer.alloc(0);

/** Receive limit of the benchmark's servers; the enricher's default (ENRICHER_OTLP_GRPC_MAX_RECV_MIB) is 16 MiB. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Sends one encoded request; resolves with the response bytes, rejects with the gRPC error. */
export function exportRaw(client: grpc.Client, request: Buffer, deadlineMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(TRACE_EXPORT_PATH, identity, identity, request, { deadline: Date.now() + deadlineMs }, (err, res) =>
      err ? reject(err) : resolve(res ?? EMPTY_EXPORT_RESPONSE),
    );
  });
}

/** A grpc-js server listening on 127.0.0.1 through a socket of ours. */
export interface Listening {
  readonly port: number;
  /** Stops listening and cuts open calls (benchmark processes have nothing left to finish). */
  close(): void;
}

/**
 * Serves `server` on 127.0.0.1:0 with TCP_NODELAY on every accepted socket.
 * grpc-js's own bindAsync leaves Nagle's algorithm on for server sockets (Node's
 * net.Server default), which stalls the small WINDOW_UPDATE frames a large
 * request needs and adds milliseconds per hop; Go servers such as Jaeger and
 * the Collector set TCP_NODELAY. So the sink and the baseline do too, through
 * grpc-js's public connection injector. With `windowBytes`, the server's
 * HTTP/2 receive windows (stream and connection) are that large instead of
 * 64 KiB (see withServerWindow).
 */
export async function listenNoDelay(server: grpc.Server, windowBytes?: number): Promise<Listening> {
  const injector = withServerWindow(windowBytes, () => server.createConnectionInjector(grpc.ServerCredentials.createInsecure()));
  const tcp = net.createServer({ noDelay: true }, (socket) => injector.injectConnection(socket));
  await new Promise<void>((resolve, reject) => tcp.once('error', reject).listen(0, '127.0.0.1', resolve));
  return {
    port: (tcp.address() as net.AddressInfo).port,
    close: () => {
      tcp.close();
      injector.destroy();
      server.forceShutdown();
    },
  };
}
