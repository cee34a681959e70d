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

export interface RawClientOptions {
  readonly gzip?: boolean;
  /** TLS credentials; the target becomes localhost (the test certificate's name). Default plaintext to 127.0.0.1. */
  readonly credentials?: grpc.ChannelCredentials;
  /** Metadata sent with every call, e.g. authorization. */
  readonly metadata?: Record<string, string>;
}

export function rawClient(port: number, options: RawClientOptions = {}): RawClient {
  const host = options.credentials ? 'localhost' : '127.0.0.1';
  const client = new grpc.Client(`${host}:${port}`, options.credentials ?? grpc.credentials.createInsecure(), {
    'grpc.default_compression_algorithm': options.gzip ? 2 : 0,
  });
  const metadata = () => {
    const m = new grpc.Metadata();
    for (const [key, value] of Object.entries(options.metadata ?? {})) m.set(key, value);
    return m;
  };
  const identity = (b: Buffer): Buffer => b;
  return {
    export: (bytes, { timeoutMs = 5_000 } = {}) =>
      new Promise((resolve) => {
        const call = client.makeUnaryRequest(TRACE_EXPORT_PATH, identity, identity, bytes, metadata(), { deadline: Date.now() + timeoutMs }, (err) => {
          if (err) resolve({ code: err.code, details: err.details, metadata: err.metadata });
        });
        call.on('status', (status: grpc.StatusObject) => {
          if (status.code === grpc.status.OK) resolve({ code: status.code, details: status.details, metadata: status.metadata });
        });
      }),
    close: () => client.close(),
  };
}
