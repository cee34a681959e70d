/**
 * A flaky Jaeger stand-in for the chaos tests (the Collector testbed's
 * "backend that fails"): a real grpc-js server on port 0 that fails a seeded
 * share of Export calls with UNAVAILABLE and records the span ids it accepted.
 * "Down" is a failure ratio of 1: the port stays bound, so no other server of
 * a test running alongside can take it over while the backend is away.
 */
import * as grpc from '@grpc/grpc-js';
import { exportRequestType } from '../../../src/otlp/protos';
import { RAW_TRACE_SERVICE } from '../../../src/otlp/rawTraceService';
import { flattenSpans } from '../../helpers/grpcSink';
import { mulberry32 } from '../../helpers/otlpFixtures';

export interface ChaosSinkOptions {
  /** Share of calls answered UNAVAILABLE, in [0, 1]. */
  failureRatio: number;
  /** Seed of the failure decisions. */
  seed: number;
}

export class ChaosSink {
  /** Span ids (hex) of every accepted request; a span accepted twice is here once. */
  readonly spanIds = new Set<string>();
  /** Spans accepted, duplicates included. */
  acceptedSpans = 0;
  calls = 0;
  failedCalls = 0;
  /** Share of calls answered UNAVAILABLE from now on; 1 is a backend that is down. */
  failureRatio: number;
  private readonly random: () => number;
  private server?: grpc.Server;
  private waiters = new Set<() => void>();

  private constructor(readonly port: number, options: ChaosSinkOptions) {
    this.failureRatio = options.failureRatio;
    this.random = mulberry32(options.seed);
  }

  static async start(options: ChaosSinkOptions): Promise<ChaosSink> {
    const server = new grpc.Server();
    const sink = new ChaosSink(await bind(server, 0), options);
    sink.attach(server);
    return sink;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Ids among `expected` not received yet. */
  missing(expected: Iterable<string>): string[] {
    return [...expected].filter((id) => !this.spanIds.has(id));
  }

  /** Resolves once every id in `expected` was received; rejects after `timeoutMs`, saying how many are missing. */
  waitForSpanIds(expected: ReadonlySet<string>, timeoutMs: number): Promise<void> {
    if (this.missing(expected).length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.missing(expected).length > 0) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`ChaosSink: ${this.missing(expected).length} of ${expected.size} span ids still missing after ${timeoutMs} ms (${this.calls} calls, ${this.failedCalls} failed)`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    this.server?.forceShutdown();
    this.server = undefined;
  }

  private attach(server: grpc.Server): void {
    server.addService(RAW_TRACE_SERVICE, { Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => this.onExport(call.request, cb) });
    this.server = server;
  }

  private onExport(bytes: Buffer, callback: grpc.sendUnaryData<Buffer>): void {
    this.calls++;
    if (this.random() < this.failureRatio) {
      this.failedCalls++;
      callback({ code: grpc.status.UNAVAILABLE, details: 'chaos: backend unavailable' });
      return;
    }
    const ids = spanIdsOf(bytes);
    for (const id of ids) this.spanIds.add(id);
    this.acceptedSpans += ids.length;
    callback(null, Buffer.alloc(0));
    for (const check of [...this.waiters]) check();
  }
}

/** Hex span ids of an encoded ExportTraceServiceRequest. */
export function spanIdsOf(bytes: Buffer): string[] {
  const type = exportRequestType();
  return flattenSpans(type.toObject(type.decode(bytes), { longs: String }) as Record<string, unknown>).map((s) => s.spanId);
}


function bind(server: grpc.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
}
