import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../telemetry/logger';
import { ConnectionLimit, type ConnectionStats } from '../connectionLimit';
import { RequestGuard, type RequestGuardStats } from '../limits/requestGuard';
import { ListeningReceiver } from '../listeningReceiver';
import { exportHandler } from './handler';
import { grpcServerOptions } from './limits';
import { type TcpListener, listenNoDelay } from './noDelayListener';
import { type OtlpGrpcReceiverOptions, type ResolvedReceiverOptions, resolveReceiverOptions } from './options';
import { ReceiveDeadline } from './receiveDeadline';
import { StreamAdmission } from './streamAdmission';
import { TRACE_SERVICE_DEFINITION } from './service';

/**
 * OTLP/gRPC trace receiver (`TraceService/Export`). Each request's bytes go to
 * the next stage unparsed; gzip requests are decompressed by grpc-js; requests
 * over `maxRecvMessageBytes` are answered RESOURCE_EXHAUSTED by grpc-js.
 * Batches leave with `spanCount` 0: the receiver never parses, the processor
 * counts spans as it walks the bytes and hands on the real count.
 */
export class OtlpGrpcReceiver extends ListeningReceiver {
  private readonly options: ResolvedReceiverOptions;
  private readonly log: Logger;
  private readonly guard: RequestGuard;
  private readonly connections: ConnectionLimit;
  private readonly receiveDeadline?: ReceiveDeadline;
  private readonly streamAdmission?: StreamAdmission;
  private server?: grpc.Server;
  private listener?: TcpListener;

  /** Throws if an option is invalid, naming each problem. */
  constructor(options: OtlpGrpcReceiverOptions) {
    super('OtlpGrpcReceiver');
    this.options = resolveReceiverOptions(options);
    this.log = options.logger.child({ component: 'receiver/otlpgrpc' });
    this.guard = new RequestGuard(this.options.guard);
    this.connections = new ConnectionLimit({ maxConnections: this.options.maxConnections, idleTimeoutMs: this.options.idleTimeoutMs, logger: this.log });
    if (this.options.receiveTimeoutMs > 0) this.receiveDeadline = new ReceiveDeadline(this.options.receiveTimeoutMs);
    const admissions = this.options.guard.admissions ?? [];
    if (admissions.length > 0) this.streamAdmission = new StreamAdmission(admissions);
  }

  /**
   * Requests in flight, accepted, and refused by reason (see RequestGuardStats;
   * `receive_timeout`: cancelled before their message had arrived; an
   * admission's reason also counts streams refused as they opened); a fresh snapshot each call.
   */
  stats(): RequestGuardStats {
    const stats = this.guard.stats();
    const cancelled = this.receiveDeadline?.stats().cancelled ?? 0;
    const atOpen = this.streamAdmission?.refused() ?? {};
    if (cancelled === 0 && Object.keys(atOpen).length === 0 && !this.receiveDeadline?.stats().cancelledForMemory) return stats;
    const refused: Record<string, number> = { ...stats.refused };
    for (const [reason, n] of Object.entries(atOpen)) refused[reason] = (refused[reason] ?? 0) + n;
    if (cancelled > 0) refused.receive_timeout = cancelled;
    const forMemory = this.receiveDeadline?.stats().cancelledForMemory ?? 0;
    if (forMemory > 0) refused.memory_limit = (refused.memory_limit ?? 0) + forMemory;
    return { ...stats, refused };
  }

  /**
   * Cancels every request still receiving its message (the memory limit was
   * reached); returns how many. Needs the receive deadline (its streams are
   * the ones watched); 0 without it.
   */
  cancelReceiving(): number {
    return this.receiveDeadline?.cancelReceiving() ?? 0;
  }

  /** Open and refused connections. */
  connectionStats(): ConnectionStats {
    return this.connections.stats();
  }

  protected defaultGraceMs(): number {
    return this.options.shutdownGraceMs;
  }

  protected async listen(): Promise<number> {
    const server = new grpc.Server({
      'grpc.max_receive_message_length': this.options.maxRecvMessageBytes,
      ...grpcServerOptions(this.options.connection),
      // Read by grpc-js servers once they support it (grpc/grpc-node#3058); until then listenNoDelay applies it.
      ...(this.options.flowControlWindowBytes ? { 'grpc-node.flow_control_window': this.options.flowControlWindowBytes } : {}),
      interceptors: [...this.options.interceptors],
    });
    server.addService(TRACE_SERVICE_DEFINITION, { Export: exportHandler(this.options.next, this.log, this.guard) });
    this.server = server;
    // Our own listener rather than bindAsync: it sets TCP_NODELAY (see noDelayListener.ts).
    const onError = (err: Error) => this.log.error({ err }, 'OTLP/gRPC listener error');
    const onWindowIgnored = () => this.log.warn({ flowControlWindowBytes: this.options.flowControlWindowBytes }, 'grpc-js did not let the HTTP/2 window be raised; it stays 64 KiB');
    this.listener = await listenNoDelay(server, this.options.credentials, this.options.address, onError, this.options.flowControlWindowBytes, onWindowIgnored, {
      connections: this.connections,
      onHttp2Server: (h2) => {
        this.streamAdmission?.attach(h2);
        this.receiveDeadline?.attach(h2);
        this.connections.watchSessions(h2);
      },
    });
    this.log.info({ address: this.options.address, port: this.listener.port }, 'OTLP/gRPC receiver listening');
    return this.listener.port;
  }

  protected async close(graceMs: number): Promise<void> {
    this.receiveDeadline?.stop();
    const server = this.server;
    if (!server) return;
    this.listener?.close(); // no new connections; grpc-js closes the ones it has below
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.log.warn({ graceMs }, 'in-flight requests outlived the grace period; closing connections');
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    this.log.info('OTLP/gRPC receiver stopped');
  }
}
