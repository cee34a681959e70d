import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../telemetry/logger';
import { splitAddress } from '../../util/address';
import { ListeningReceiver } from '../listeningReceiver';
import { httpsServerOptions } from '../tls/index';
import { createOtlpHttpHandler } from './handler';
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

  /** Throws if an option is invalid, naming each problem. */
  constructor(options: OtlpHttpReceiverOptions) {
    super('OtlpHttpReceiver');
    this.options = resolveHttpReceiverOptions(options);
    this.log = options.logger.child({ component: 'receiver/otlphttp' });
  }

  protected defaultGraceMs(): number {
    return this.options.shutdownGraceMs;
  }

  protected async listen(): Promise<number> {
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
    const bound = (server.address() as AddressInfo).port;
    this.log.info({ address: this.options.address, port: bound, tls: tls !== undefined }, 'OTLP/HTTP receiver listening');
    return bound;
  }

  protected async close(graceMs: number): Promise<void> {
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
    this.log.info('OTLP/HTTP receiver stopped');
  }
}
