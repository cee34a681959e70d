import * as grpc from '@grpc/grpc-js';
import type { TraceBatch } from '../../pipeline/consumer';
import { TRACE_EXPORT_PATH } from '../../otlp/protos';
import type { Logger } from '../../telemetry/logger';
import type { BatchSender, SendResult } from '../queue/types';
import { type GrpcTarget, channelCredentials, parseEndpoint } from './endpoint';
import { type ResponseNote, classifyError, decodeResponse, successOf } from './outcome';

/** Options of {@link OtlpGrpcExporter}. */
export interface OtlpGrpcExporterOptions {
  /** `http://host:port` (plaintext) or `https://host:port` (TLS); port defaults to 4317. */
  readonly endpoint: string;
  readonly logger: Logger;
  /** Deadline of one Export call, ms. Default 10,000. */
  readonly timeoutMs?: number;
  /** PEM CA bundle to trust for `https://`, instead of the system roots. */
  readonly rootCerts?: Buffer;
  /** Compress requests. Default 'none' (the usual peer, Jaeger, sits on the same network). */
  readonly compression?: 'none' | 'gzip';
  /** Extra grpc-js channel options, e.g. `grpc.max_reconnect_backoff_ms`; they win over ours. */
  readonly channelOptions?: grpc.ChannelOptions;
  /** Metadata sent with every call (lowercase names), e.g. `authorization`. Values are never logged. Default none. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Defaults of the optional exporter options (ms). */
export const EXPORTER_DEFAULTS = Object.freeze({ timeoutMs: 10_000 });

const identity = (bytes: Buffer): Buffer => bytes;
const NO_CLIENT: SendResult = { status: 'retryable', reason: 'exporter not started' };

/**
 * Sends batches to an OTLP/gRPC endpoint as they are: the bytes go on the wire
 * unchanged. One attempt per `send`, the outcome classified per the OTLP spec;
 * retrying is the sending queue's job.
 */
export class OtlpGrpcExporter implements BatchSender {
  private readonly target: GrpcTarget;
  private readonly timeoutMs: number;
  private readonly log: Logger;
  private readonly metadata: grpc.Metadata;
  private client?: grpc.Client;
  private stopped = false;

  /** Throws if the endpoint or an option is invalid. */
  constructor(private readonly options: OtlpGrpcExporterOptions) {
    this.target = parseEndpoint(options.endpoint);
    this.timeoutMs = options.timeoutMs ?? EXPORTER_DEFAULTS.timeoutMs;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new Error(`OtlpGrpcExporter: timeoutMs must be > 0, got ${this.timeoutMs}`);
    }
    this.log = options.logger.child({ component: 'exporter/otlpgrpc', endpoint: options.endpoint });
    this.metadata = new grpc.Metadata();
    for (const [name, value] of Object.entries(options.headers ?? {})) this.metadata.set(name, value);
  }

  /** Creates the channel; it connects on the first call. Idempotent. */
  async start(): Promise<void> {
    if (this.client || this.stopped) return;
    const compression = this.options.compression === 'gzip' ? 2 : 0; // grpc-js CompressionAlgorithms
    this.client = new grpc.Client(this.target.address, channelCredentials(this.target, this.options.rootCerts), {
      'grpc.default_compression_algorithm': compression,
      ...this.options.channelOptions,
    });
    // Header names only: their values may be credentials.
    const headers = Object.keys(this.options.headers ?? {});
    this.log.info({ address: this.target.address, tls: this.target.tls, compression: this.options.compression ?? 'none', headers }, 'OTLP/gRPC exporter ready');
  }

  /** One Export call with the batch's bytes; never rejects. Aborting `signal` cancels the call. */
  send(batch: TraceBatch, signal?: AbortSignal): Promise<SendResult> {
    const client = this.client;
    if (!client) return Promise.resolve(NO_CLIENT);
    if (signal?.aborted) return Promise.resolve({ status: 'retryable', reason: 'aborted before sending' });
    return new Promise((resolve) => {
      const onAbort = () => call.cancel();
      const call = client.makeUnaryRequest<Buffer, ResponseNote>(
        TRACE_EXPORT_PATH,
        identity,
        decodeResponse,
        batch.bytes,
        this.metadata.clone(),
        { deadline: Date.now() + this.timeoutMs },
        (err, note) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(err ? classifyError(err) : successOf(note));
        },
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Closes the channel (calls already started finish; the queue cancels them first). Safe twice and before start. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    this.client?.close();
    this.client = undefined;
  }
}
