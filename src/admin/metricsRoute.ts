import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROMETHEUS_CONTENT_TYPE } from '../telemetry/metricsRegistry';

/** What the route renders: the service's MetricsRegistry, or (in a cluster worker) all workers' figures, which takes a round trip. */
export interface MetricsSource {
  render(): string | Promise<string>;
}

/**
 * `GET /metrics`: Prometheus text exposition 0.0.4, no token (like the health
 * routes: figures, no personal data), collected at scrape time. Returns true
 * when it answered the request, false to let the app route it on.
 */
export function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: MetricsSource | undefined): boolean {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/metrics' || metrics === undefined) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('GET /metrics only\n');
    return true;
  }
  const send = (body: string) => {
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const body = metrics.render();
  if (typeof body === 'string') send(body);
  else
    body.then(send, () => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('metrics could not be collected\n');
    });
  return true;
}
