import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../telemetry/logger';
import { splitAddress } from '../../util/address';
import { ConnectionLimit, type ConnectionStats } from '../connectionLimit';
import { RequestGuard, type RequestGuardStats } from '../limits/requestGuard';
import { ListeningReceiver } from '../listeningReceiver';
import { httpsServerOptions } from '../tls/index';
import { createOtlpHttpHandler } from './handler';
import { JsonConverter } from './json/converter';
import { type OtlpHttpReceiverOptions, type ResolvedHttpReceiverOptions, resolveHttpReceiverOptions } from './options';

/**
 * OTLP/HTTP trace receiver (`POST /v1/traces`, protobuf or JSON) over HTTP/1.1,
 * or HTTPS when given TLS material. The request logic lives in
 * {@link createOtlpHttpHandler}; this class only listens and stops.
 */
export class OtlpHttpReceiver extends ListeningReceiver {
  private readonly options: ResolvedHttpReceiverOptions;
  private readonly log: Logger;
  private server?: http.Server;
  private closing = false;
  /** Responses not yet finished, so shutdown can keep their connections from idling on. */
  private readonly inFlight = new Set<http.ServerResponse>();
  private readonly guard: RequestGuard;
  private readonly json: JsonConverter;
  private readonly connections: ConnectionLimit;

  /** Throws if an option is invalid, naming each problem. */
  constructor(options: OtlpHttpReceiverOptions) {
    super('OtlpHttpReceiver');
    this.options = resolveHttpReceiverOptions(options);
    this.log = options.logger.child({ component: 'receiver/otlphttp' });
    this.guard = new RequestGuard(this.options.guard);
    this.json = new JsonConverter({ maxElements: this.options.maxJsonElements, logger: this.log });
    this.connections = new ConnectionLimit({ maxConnections: this.options.maxConnections, idleTimeoutMs: this.options.idleTimeoutMs, logger: this.log });
  }

  /** Requests in flight, accepted, and refused by reason (see RequestGuardStats); a fresh snapshot each call. */
  stats(): RequestGuardStats {
    return this.guard.stats();
  }

  /** Open and refused connections. */
  connectionStats(): ConnectionStats {
    return this.connections.stats();
  }

  protected defaultGraceMs(): number {
    return this.options.shutdownGraceMs;
  }

  protected async listen(): Promise<number> {
    const { tls } = this.options;
    const handler = createOtlpHttpHandler({ ...this.options, logger: this.log, guard: this.guard, json: this.json });
    const onRequest: http.RequestListener = (req, res) => {
      this.inFlight.add(res);
      res.once('close', () => this.inFlight.delete(res));
      if (this.closing) res.setHeader('connection', 'close');
      handler(req, res);
    };
    // Node checks its own request and header timeouts every 30 s by default; every second keeps them close to their values.
    const serverOptions = { connectionsCheckingInterval: 1000 };
    const server = tls ? https.createServer({ ...httpsServerOptions(tls), ...serverOptions }, onRequest) : http.createServer(serverOptions, onRequest);
    this.connections.apply(server);
    this.server = server;
    const { host, port } = splitAddress(this.options.address);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = (server.address() as AddressInfo).port;
    this.log.info({ address: this.options.address, port: bound, tls: tls !== undefined }, 'OTLP/HTTP receiver listening');
    return bound;
  }

  protected async close(graceMs: number): Promise<void> {
    const server = this.server;
    if (!server?.listening) return this.json.close();
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
    await this.json.close();
    this.log.info('OTLP/HTTP receiver stopped');
  }
}
