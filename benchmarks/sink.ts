import * as grpc from '@grpc/grpc-js';
import { EMPTY_EXPORT_RESPONSE, listenNoDelay, MAX_MESSAGE_BYTES, RAW_TRACE_SERVICE } from './rawTraceService';
import { countSpans } from './spanCount';

/** What the sink has received so far. */
export interface SinkCounts {
  requests: number;
  spans: number;
}

/** Messages between the parent and a sink child process. */
export type SinkReady = { type: 'ready'; port: number };
export type SinkCountsMessage = { type: 'counts' } & SinkCounts;

export interface RunningSink {
  readonly port: number;
  counts(): SinkCounts;
  close(): void;
}

/**
 * Stands in for Jaeger: an OTLP/gRPC server on 127.0.0.1:0 (TCP_NODELAY, as a
 * Go server has) that acknowledges every export at once and counts its spans
 * (tags and lengths only, so its own CPU stays small beside the subject's).
 */
export async function startSink(): Promise<RunningSink> {
  const counts: SinkCounts = { requests: 0, spans: 0 };
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
  server.addService(RAW_TRACE_SERVICE, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      counts.requests++;
      counts.spans += countSpans(call.request);
      callback(null, EMPTY_EXPORT_RESPONSE);
    },
  });
  const listening = await listenNoDelay(server);
  return { port: listening.port, counts: () => ({ ...counts }), close: () => listening.close() };
}

/** Child-process entry: reports `ready`, answers `counts`, stops on SIGTERM. */
async function main(): Promise<void> {
  const sink = await startSink();
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'counts') process.send!({ type: 'counts', ...sink.counts() } satisfies SinkCountsMessage);
  });
  process.once('SIGTERM', () => {
    sink.close();
    process.exit(0);
  });
  process.send!({ type: 'ready', port: sink.port } satisfies SinkReady);
}

if (require.main === module) void main();
