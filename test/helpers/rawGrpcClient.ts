/**
 * A bare grpc-js client for the Export method, for what the OpenTelemetry SDK
 * will not send (garbage, oversized or hand-compressed requests) and to read
 * the status and trailers of a refusal.
 */
import * as grpc from '@grpc/grpc-js';
import { TRACE_EXPORT_PATH } from '../../src/otlp/protos';

export interface RawOutcome {
  readonly code: grpc.status;
  readonly details: string;
  readonly metadata: grpc.Metadata;
}

export interface RawClient {
  /** One Export call with `bytes` as the request message; resolves with the final status. */
  export(bytes: Buffer, options?: { timeoutMs?: number }): Promise<RawOutcome>;
  close(): void;
}

export function rawClient(port: number, options: { gzip?: boolean } = {}): RawClient {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    'grpc.default_compression_algorithm': options.gzip ? 2 : 0,
  });
  const identity = (b: Buffer): Buffer => b;
  return {
    export: (bytes, { timeoutMs = 5_000 } = {}) =>
      new Promise((resolve) => {
        const call = client.makeUnaryRequest(TRACE_EXPORT_PATH, identity, identity, bytes, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err) => {
          if (err) resolve({ code: err.code, details: err.details, metadata: err.metadata });
        });
        call.on('status', (status: grpc.StatusObject) => {
          if (status.code === grpc.status.OK) resolve({ code: status.code, details: status.details, metadata: status.metadata });
        });
      }),
    close: () => client.close(),
  };
}
