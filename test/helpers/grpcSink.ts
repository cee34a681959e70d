/**
 * A stand-in for Jaeger's OTLP/gRPC receiver: a real grpc-js server on port 0
 * that records every Export request, and can be told to fail, to hold answers,
 * or to be down for a while (stop, then restart on the same port).
 */
import * as grpc from '@grpc/grpc-js';
import { exportRequestType } from '../../src/otlp/protos';
import { RAW_TRACE_SERVICE } from '../../src/otlp/rawTraceService';
import { STATUS_DETAILS_KEY, encodeRetryStatus } from '../../src/receiver/otlpgrpc/statusDetails';

/** One accepted Export request. */
export interface SinkRequest {
  /** The request exactly as it arrived (after gRPC decompression). */
  readonly bytes: Buffer;
  /** protobufjs plain object: 64-bit integers as strings, bytes as Buffers. */
  readonly decoded: Record<string, unknown>;
  /** The call's metadata (custom headers such as authorization). */
  readonly metadata: grpc.Metadata;
}

/** A span flattened with its resource and scope, attribute values unwrapped. */
export interface SinkSpan {
  readonly resource: Record<string, unknown>;
  readonly scope: { readonly name?: string; readonly version?: string };
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly kind?: number;
  readonly attributes: Record<string, unknown>;
}

/** How the next failing calls answer. */
export interface SinkFailure {
  readonly code: grpc.status;
  readonly details?: string;
  /** Attach a google.rpc.RetryInfo with this delay. */
  readonly retryAfterMs?: number;
}

type Waiter = () => void;

export class GrpcSink {
  /** Accepted requests, in arrival order. */
  readonly requests: SinkRequest[] = [];
  /** Every call that reached the handler, accepted or failed. */
  calls = 0;
  private server?: grpc.Server;
  private failures: SinkFailure[] = [];
  private held: Array<() => void> | undefined;
  private waiters = new Set<Waiter>();

  private constructor(
    readonly port: number,
    private readonly credentials: grpc.ServerCredentials,
  ) {}

  /** Starts a sink on 127.0.0.1 and a free port; plaintext unless given TLS `credentials`. */
  static async start(options: { credentials?: grpc.ServerCredentials } = {}): Promise<GrpcSink> {
    const credentials = options.credentials ?? grpc.ServerCredentials.createInsecure();
    const server = new grpc.Server();
    const port = await bind(server, 0, credentials);
    const sink = new GrpcSink(port, credentials);
    sink.attach(server);
    return sink;
  }

  /** `http://127.0.0.1:<port>`, for the exporter's endpoint option. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next `count` calls fail with `failure` (in addition to failures already queued). */
  failNext(count: number, failure: SinkFailure): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /** Holds every answer until {@link release}; calls stay in flight (to fill queues, trip deadlines). */
  hold(): void {
    this.held ??= [];
  }

  /** Answers every held call and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const answer of held) answer();
  }

  /** Goes down: closes the listener and every connection at once; held calls die unanswered. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.held = undefined;
    server?.forceShutdown();
  }

  /** Comes back on the same port. */
  async restart(): Promise<void> {
    if (this.server) return;
    const server = new grpc.Server();
    await bind(server, this.port, this.credentials);
    this.attach(server);
  }

  /** Every accepted span, flattened. */
  spans(): SinkSpan[] {
    return this.requests.flatMap((r) => flattenSpans(r.decoded));
  }

  /** Resolves with {@link spans} once at least `count` spans arrived; rejects after `timeoutMs`. */
  waitForSpans(count: number, timeoutMs = 5_000): Promise<SinkSpan[]> {
    return this.waitUntil(() => this.spans().length >= count, timeoutMs, () => `${count} spans (got ${this.spans().length})`).then(() =>
      this.spans(),
    );
  }

  /** Resolves once at least `count` calls reached the sink (accepted or failed). */
  waitForCalls(count: number, timeoutMs = 5_000): Promise<void> {
    return this.waitUntil(() => this.calls >= count, timeoutMs, () => `${count} calls (got ${this.calls})`);
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private waitUntil(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check: Waiter = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`GrpcSink: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  private attach(server: grpc.Server): void {
    server.addService(RAW_TRACE_SERVICE, {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => this.onExport(call.request, cb, call.metadata),
    });
    this.server = server;
  }

  private onExport(bytes: Buffer, callback: grpc.sendUnaryData<Buffer>, metadata: grpc.Metadata): void {
    this.calls++;
    const answer = () => {
      const failure = this.failures.shift();
      if (failure) callback(statusOf(failure));
      else this.accept(bytes, callback, metadata);
      this.notify();
    };
    if (this.held) this.held.push(answer);
    else answer();
    this.notify();
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }

  private accept(bytes: Buffer, callback: grpc.sendUnaryData<Buffer>, metadata: grpc.Metadata): void {
    const type = exportRequestType();
    let decoded: Record<string, unknown>;
    try {
      decoded = type.toObject(type.decode(bytes), { longs: String, defaults: false });
    } catch (err) {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: `undecodable request: ${(err as Error).message}` });
      return;
    }
    this.requests.push({ bytes: Buffer.from(bytes), decoded, metadata });
    callback(null, Buffer.alloc(0));
  }
}


function bind(server: grpc.Server, port: number, credentials: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${port}`, credentials, (err, bound) => (err ? reject(err) : resolve(bound)));
  });
}

function statusOf(failure: SinkFailure): grpc.StatusObject {
  const details = failure.details ?? `sink told to fail with ${grpc.status[failure.code]}`;
  const metadata = new grpc.Metadata();
  if (failure.retryAfterMs !== undefined) {
    metadata.set(STATUS_DETAILS_KEY, encodeRetryStatus(failure.code, details, failure.retryAfterMs));
  }
  return { code: failure.code, details, metadata };
}

// ---- flattening protobufjs plain objects ----

interface PlainKeyValue {
  key: string;
  value?: Record<string, unknown>;
}

/** Flattens a decoded request (protobufjs plain object) into one entry per span. */
export function flattenSpans(decoded: Record<string, unknown>): SinkSpan[] {
  const out: SinkSpan[] = [];
  for (const rs of (decoded.resourceSpans as Array<Record<string, any>> | undefined) ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    for (const ss of (rs.scopeSpans as Array<Record<string, any>> | undefined) ?? []) {
      const scope = { name: ss.scope?.name as string | undefined, version: ss.scope?.version as string | undefined };
      for (const s of (ss.spans as Array<Record<string, any>> | undefined) ?? []) {
        out.push({
          resource,
          scope,
          name: s.name ?? '',
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          kind: s.kind,
          attributes: attributesOf(s.attributes),
        });
      }
    }
  }
  return out;
}

/** KeyValue list to a plain object, values unwrapped (int64 to number, arrays to arrays). */
export function attributesOf(list: PlainKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) out[kv.key] = unwrap(kv.value);
  return out;
}

function unwrap(value: Record<string, any> | undefined): unknown {
  if (!value) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('bytesValue' in value) return Buffer.from(value.bytesValue);
  if ('arrayValue' in value) return ((value.arrayValue?.values as Array<Record<string, any>>) ?? []).map(unwrap);
  if ('kvlistValue' in value) return attributesOf(value.kvlistValue?.values);
  return undefined;
}

function hex(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes).toString('hex') : '';
}
