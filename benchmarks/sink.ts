import * as grpc from '@grpc/grpc-js';
import { parseArgs } from 'node:util';
import { EMPTY_EXPORT_RESPONSE, listenNoDelay, MAX_MESSAGE_BYTES, RAW_TRACE_SERVICE } from './rawTraceService';
import { countSpans } from './spanCount';
import { monotonicMs, readStamp } from './stamp';

/** What the sink has received so far. */
export interface SinkCounts {
  requests: number;
  spans: number;
}

/** Messages between the parent and a sink child process. */
export type SinkReady = { type: 'ready'; port: number };
export type SinkCountsMessage = { type: 'counts' } & SinkCounts;
/** Arrival times (monotonicMs) of the stamped requests received so far, by sequence number. */
export type SinkArrivalsMessage = { type: 'arrivals'; arrivals: [number, number][] };

export interface RunningSink {
  readonly port: number;
  counts(): SinkCounts;
  /** [sequence number, arrival ms] of each stamped request (see stamp.ts). */
  arrivals(): [number, number][];
  close(): void;
}

/**
 * Stands in for Jaeger: an OTLP/gRPC server on 127.0.0.1:0 (TCP_NODELAY, as a
 * Go server has) that acknowledges every export at once and counts its spans
 * (tags and lengths only, so its own CPU stays small beside the subject's).
 */
export async function startSink(windowBytes?: number): Promise<RunningSink> {
  const counts: SinkCounts = { requests: 0, spans: 0 };
  const arrivals: [number, number][] = [];
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
  server.addService(RAW_TRACE_SERVICE, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const at = monotonicMs();
      counts.requests++;
      counts.spans += countSpans(call.request);
      const seq = readStamp(call.request);
      if (seq !== undefined) arrivals.push([seq, at]);
      callback(null, EMPTY_EXPORT_RESPONSE);
    },
  });
  const listening = await listenNoDelay(server, windowBytes);
  return { port: listening.port, counts: () => ({ ...counts }), arrivals: () => arrivals, close: () => listening.close() };
}

/** Child-process entry (`sink.js [--window bytes]`): reports `ready`, answers `counts`, stops on SIGTERM. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { window: { type: 'string' } } });
  const sink = await startSink(values.window ? Number(values.window) : undefined);
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'counts') process.send!({ type: 'counts', ...sink.counts() } satisfies SinkCountsMessage);
    if (m.type === 'arrivals') process.send!({ type: 'arrivals', arrivals: sink.arrivals() } satisfies SinkArrivalsMessage);
  });
  process.once('SIGTERM', () => {
    sink.close();
    process.exit(0);
  });
  process.send!({ type: 'ready', port: sink.port } satisfies SinkReady);
}

if (require.main === module) void main();
