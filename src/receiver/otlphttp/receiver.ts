import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Lifecycle } from '../../pipeline/consumer';
import type { Logger } from '../../telemetry/logger';
import { splitAddress } from '../../util/address';
import { httpsServerOptions } from '../tls/index';
import { createOtlpHttpHandler } from './handler';
import { type OtlpHttpReceiverOptions, type ResolvedHttpReceiverOptions, resolveHttpReceiverOptions } from './options';

/**
 * OTLP/HTTP trace receiver (`POST /v1/traces`, protobuf or JSON) over HTTP/1.1,
 * or HTTPS when given TLS material. The request logic lives in
 * {@link createOtlpHttpHandler}; this class only listens and stops.
 */
export class OtlpHttpReceiver implements Lifecycle {
  private readonly options: ResolvedHttpReceiverOptions;
  private readonly log: Logger;
  private server?: http.Server;
  private boundPort?: number;
  private closing = false;
  /** Responses not yet finished, so shutdown can keep their connections from idling on. */
  private readonly inFlight = new Set<http.ServerResponse>();
  private starting?: Promise<void>;
  private stopping?: Promise<void>;

  /** Throws if an option is invalid, naming each problem. */
  constructor(options: OtlpHttpReceiverOptions) {
    this.options = resolveHttpReceiverOptions(options);
    this.log = options.logger.child({ component: 'receiver/otlphttp' });
  }

  /** The bound TCP port (the real one when the address asked for port 0). Throws before `start()` resolves. */
  get port(): number {
    if (this.boundPort === undefined) throw new Error('OtlpHttpReceiver: not listening (call start() first)');
    return this.boundPort;
  }

  /** Binds and starts serving. Calling it again returns the same promise; after shutdown it rejects. */
  start(): Promise<void> {
    if (this.stopping) return Promise.reject(new Error('OtlpHttpReceiver: already shut down'));
    this.starting ??= this.listen();
    return this.starting;
  }

  /**
   * Stops accepting connections, closes idle ones, lets in-flight requests finish
   * for `graceMs` (default the `shutdownGraceMs` option), then closes every
   * connection. Safe twice and before start.
   */
  shutdown(options: { graceMs?: number } = {}): Promise<void> {
    this.stopping ??= this.close(options.graceMs ?? this.options.shutdownGraceMs);
    return this.stopping;
  }

  private async listen(): Promise<void> {
    const { tls } = this.options;
    const handler = createOtlpHttpHandler({ ...this.options, logger: this.log });
    const onRequest: http.RequestListener = (req, res) => {
      this.inFlight.add(res);
      res.once('close', () => this.inFlight.delete(res));
      if (this.closing) res.setHeader('connection', 'close');
      handler(req, res);
    };
    const server = tls ? https.createServer(httpsServerOptions(tls), onRequest) : http.createServer(onRequest);
    this.server = server;
    const { host, port } = splitAddress(this.options.address);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.log.info({ address: this.options.address, port: this.boundPort, tls: tls !== undefined }, 'OTLP/HTTP receiver listening');
  }

  private async close(graceMs: number): Promise<void> {
    await this.starting?.catch(() => undefined);
    const server = this.server;
    if (!server?.listening) return;
    // Answered connections close instead of idling in keep-alive, so close() can complete.
    this.closing = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.log.warn({ graceMs }, 'in-flight requests outlived the grace period; closing connections');
        server.closeAllConnections();
      }, graceMs);
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    this.boundPort = undefined;
    this.log.info('OTLP/HTTP receiver stopped');
  }
}
