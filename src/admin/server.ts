import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Lifecycle } from '../pipeline/consumer';
import type { Logger } from '../telemetry/logger';
import type { AdminHandler } from './app';
import { splitAddress } from '../util/address';

export interface AdminServerOptions {
  /** host:port; port 0 picks a free one. */
  address: string;
  handler: AdminHandler;
  logger: Logger;
}

/** Listens for the admin application. */
export class AdminServer implements Lifecycle {
  private server: http.Server | undefined;
  /** The bound port, once started. */
  port = 0;

  constructor(private readonly options: AdminServerOptions) {}

  async start(): Promise<void> {
    if (this.server) return;
    const { host, port } = splitAddress(this.options.address);
    const server = http.createServer(this.options.handler);
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.options.logger.info({ address: `${host}:${this.port}` }, 'admin HTTP listening');
  }

  async shutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
