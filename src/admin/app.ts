import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { DeactivationUseCase } from '../deactivation/types';
import { silentLogger, type Logger } from '../telemetry/logger';
import { AuditLog } from './audit';
import { BearerAuth } from './auth';
import { AuthThrottle, type AuthThrottleOptions } from './authThrottle';
import { DEFAULT_BODY_LIMIT_BYTES } from './body';
import { AdminError, toAdminError } from './errors';
import type { HealthRegistry } from './health';
import { type MetricsSource, serveMetrics } from './metricsRoute';
import { serveListRoute } from './listRoutes';
import { matchListRoute, matchUserRoute } from './routes';
import { serveUserRoute, type RequestFacts, type UserRoutesOptions } from './userRoutes';

export interface AdminAppOptions {
  health: HealthRegistry;
  /**
   * The service's root logger: audit records go to its `{component: 'audit'}`
   * child, unexpected errors to a `{component: 'admin'}` child. Default silent.
   */
  logger?: Logger;
  /** ENRICHER_ADMIN_TOKEN. Unset: the /v1 routes answer 403 admin_disabled; health routes still answer. */
  token?: string;
  /** The soft-deactivation use case behind /v1/users. Unset: those routes answer 503 deactivation_unavailable. */
  deactivation?: DeactivationUseCase;
  /** Largest accepted request body, bytes. Default 16 KiB. */
  bodyLimitBytes?: number;
  /** Aborts runs in flight when the service shuts down. */
  signal?: AbortSignal;
  /** Limits of failed authentications per client address (429 with Retry-After past them). Default: 10 at once, then 10 a minute. */
  authThrottle?: AuthThrottleOptions;
  /** Token comparison, for tests to observe; crypto.timingSafeEqual by default. */
  compare?: (a: Buffer, b: Buffer) => boolean;
  /** Milliseconds clock for audit durations. Default performance.now. */
  now?: () => number;
  /** The service's metrics, served on `GET /metrics` (no token, not audited). Unset: no such route. */
  metrics?: MetricsSource;
}

export type AdminHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The admin HTTP application, built apart from `listen` so tests can call it
 * without a fixed port. Health routes (`GET /healthz`, `GET /readyz`) need no
 * token and are not audited (probes would drown the audit log); every other
 * request, answered or refused, leaves exactly one audit record.
 */
export function createAdminApp(options: AdminAppOptions): AdminHandler {
  const logger = options.logger ?? silentLogger();
  const audit = new AuditLog(logger);
  const errorLog = logger.child({ component: 'admin' });
  const now = options.now ?? (() => performance.now());
  const userRoutes: UserRoutesOptions = {
    auth: options.token ? new BearerAuth({ token: options.token, compare: options.compare }) : undefined,
    throttle: new AuthThrottle(options.authThrottle),
    deactivation: options.deactivation,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    signal: options.signal,
  };

  return (req, res) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    if (method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (method === 'GET' && path === '/readyz') {
      const r = options.health.readiness();
      return sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not_ready', checks: r.checks });
    }
    if (serveMetrics(req, res, options.metrics)) return;

    const started = now();
    const listRoute = matchListRoute(path);
    const match = listRoute ? { route: listRoute, rawUserId: undefined } : matchUserRoute(path);
    const facts: RequestFacts = { who: 'anonymous', client: req.socket.remoteAddress ?? 'unknown' };
    const serve = async () => {
      if (!match) throw new AdminError('not_found', `no route ${method} ${path.slice(0, 200)}`);
      if (method !== match.route.method) {
        res.setHeader('allow', match.route.method);
        throw new AdminError('method_not_allowed', `${match.route.pattern} answers ${match.route.method} only`);
      }
      if (match.rawUserId === undefined) return serveListRoute(req, match.route, userRoutes, facts);
      return serveUserRoute(req, match.route, match.rawUserId, userRoutes, facts);
    };
    serve()
      .catch((err: unknown) => {
        // The client went away (mid-body, say): nobody to answer; the audit notes it nginx-style.
        if (res.destroyed) return { status: 499, body: undefined, code: 'client_closed' };
        const e = toAdminError(err);
        if (e.code === 'internal_error') errorLog.error({ err }, 'admin request failed unexpectedly');
        if (e.code === 'unauthorized') res.setHeader('www-authenticate', 'Bearer realm="genesys-otel-enricher admin"');
        for (const [name, value] of Object.entries(e.headers ?? {})) res.setHeader(name, value);
        // The rest of an over-large body is not read: close rather than keep the connection.
        if (e.code === 'body_too_large') res.setHeader('connection', 'close');
        return { status: e.status, body: e.body(), code: e.code };
      })
      .then((answer) => {
        if (!res.headersSent && !res.destroyed) sendJson(res, answer.status, answer.body);
        audit.record({
          ...facts,
          method,
          route: match?.route.pattern ?? null,
          status: answer.status,
          code: 'code' in answer ? answer.code : undefined,
          durationMs: Math.round((now() - started) * 10) / 10,
        });
      })
      .catch((err: unknown) => errorLog.error({ err }, 'admin response failed'));
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
