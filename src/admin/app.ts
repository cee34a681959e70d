import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthRegistry } from './health';

export interface AdminAppOptions {
  health: HealthRegistry;
}

export type AdminHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The admin HTTP application, built apart from `listen` so tests can call it
 * without sockets. Health routes need no token.
 */
export function createAdminApp(options: AdminAppOptions): AdminHandler {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      const r = options.health.readiness();
      return sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not_ready', checks: r.checks });
    }
    return sendJson(res, 404, { code: 'not_found', message: `no route ${req.method} ${path}` });
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
