import * as grpc from '@grpc/grpc-js';
import { parseArgs } from 'node:util';
import { exportRaw, listenNoDelay, MAX_MESSAGE_BYTES, RAW_TRACE_SERVICE } from './rawTraceService';

/** Deadline of each forwarded export, ms; the enricher's default ENRICHER_EXPORT_TIMEOUT_MS. */
const FORWARD_DEADLINE_MS = 10_000;

export interface PassthroughOptions {
  /** host:port of the OTLP/gRPC server to forward to. */
  target: string;
  /** HTTP/2 receive window of its server, bytes; undefined keeps grpc-js's 64 KiB. */
  serverWindowBytes?: number;
  /** `grpc-node.flow_control_window` of its client channel, bytes (governs only what the sink sends back). */
  clientWindowBytes?: number;
}

export interface RunningPassthrough {
  readonly port: number;
  close(): void;
}

/** Message a passthrough child sends once it listens. */
export type PassthroughReady = { type: 'ready'; port: number };

/**
 * The baseline: the cheapest OTLP/gRPC hop grpc-js allows. Each Export's bytes
 * go unchanged to the target over one client channel, and the caller gets the
 * target's answer (or its error status) when the target answers. It listens
 * with TCP_NODELAY (see listenNoDelay), so a receiver that does not pays for
 * Nagle in the ratios. What the enricher costs beyond this is what enrichment
 * (and its receiver and exporter) cost.
 */
export async function startPassthrough(options: PassthroughOptions): Promise<RunningPassthrough> {
  const client = new grpc.Client(options.target, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    ...(options.clientWindowBytes ? { 'grpc-node.flow_control_window': options.clientWindowBytes } : {}),
  });
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
  server.addService(RAW_TRACE_SERVICE, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      exportRaw(client, call.request, FORWARD_DEADLINE_MS).then(
        (response) => callback(null, response),
        (err: grpc.ServiceError) => callback({ code: err.code ?? grpc.status.UNAVAILABLE, details: err.details ?? err.message }),
      );
    },
  });
  const listening = await listenNoDelay(server, options.serverWindowBytes);
  return {
    port: listening.port,
    close: () => {
      listening.close();
      client.close();
    },
  };
}

/** Child-process entry: `passthrough.js --target host:port [--server-window bytes] [--client-window bytes]`; reports `ready`, stops on SIGTERM. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { target: { type: 'string' }, 'server-window': { type: 'string' }, 'client-window': { type: 'string' } } });
  if (!values.target) throw new Error('passthrough: --target host:port is required');
  const bytes = (v: string | undefined) => (v ? Number(v) : undefined);
  const proxy = await startPassthrough({ target: values.target, serverWindowBytes: bytes(values['server-window']), clientWindowBytes: bytes(values['client-window']) });
  process.once('SIGTERM', () => {
    proxy.close();
    process.exit(0);
  });
  process.send!({ type: 'ready', port: proxy.port } satisfies PassthroughReady);
}

if (require.main === module) void main();
