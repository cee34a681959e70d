import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { AccessTokens } from './access-tokens';
import { ApiError, apiErrors } from './api-error';
import { CONTROL_PREFIX, type ControlHandler } from './control';
import { latencyOf, takeBurst, takeEveryNth } from './faults';
import { errorReply, parseJsonBody, readBody, sendReply, type Reply } from './http-io';
import { TOKEN_PATH } from './oauth';
import type { RateLimiter } from './rate-limit';
import type { Router } from './router';
import type { ApiHandler } from './routes/route-types';
import type { StatsRecorder } from './stats';
import type { FaultSwitches } from './types';

/** The parts a request passes through. */
export interface PipelineParts {
  readonly apiRouter: Router<ApiHandler>;
  readonly controlRouter: Router<ControlHandler>;
  readonly tokenEndpoint: (authorization: string | undefined, bodyText: string) => Reply;
  readonly tokens: AccessTokens;
  readonly limiter: RateLimiter;
  readonly faults: FaultSwitches;
  readonly stats: StatsRecorder;
  /** Aborted when the simulator closes; cuts injected latency short. */
  readonly signal: AbortSignal;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Builds the request handler. Order for API and OAuth requests: count ->
 * latency -> outage (503 or dropped connection) -> route; then for API routes
 * only: 429 burst -> bearer token (401) -> per-token rate limit (429) -> handler.
 * `/__sim` control requests skip all of it.
 */
export function createRequestHandler(parts: PipelineParts) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const correlationId = randomUUID();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const isControl = url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`);
    const send = (reply: Reply) => {
      if (!isControl) parts.stats.status(reply.status);
      sendReply(res, reply, correlationId);
    };
    try {
      if (isControl) return send(answerControl(parts, method, url, await readBody(req)));
      const isToken = method === 'POST' && url.pathname === TOKEN_PATH;
      const match = isToken ? undefined : parts.apiRouter.match(method, url.pathname);
      parts.stats.request(isToken ? `POST ${TOKEN_PATH}` : match ? `${method} ${match.route.pattern}` : `${method} (unmatched)`);
      const bodyText = await readBody(req);
      const latency = latencyOf(parts.faults);
      if (latency > 0) await delay(latency, undefined, { signal: parts.signal });
      if (parts.faults.outage) {
        if (parts.faults.outageMode === 'reset') return void req.socket.destroy();
        throw apiErrors.serviceUnavailable();
      }
      if (isToken) return send(parts.tokenEndpoint(req.headers.authorization, bodyText));
      if (!match) throw apiErrors.notFound(`No resource at ${method} ${url.pathname}.`);
      const retryAfter = takeBurst(parts.faults) ?? takeEveryNth(parts.faults);
      if (retryAfter !== undefined) throw apiErrors.tooManyRequests(retryAfter);
      const auth = parts.tokens.verify(req.headers.authorization);
      if ('error' in auth) throw auth.error;
      const wait = parts.limiter.take(auth.token);
      if (wait !== undefined) throw apiErrors.tooManyRequests(wait);
      const body = BODY_METHODS.has(method) ? parseJsonBody(bodyText) : undefined;
      send(match.route.handler({ params: match.params, query: url.searchParams, body }));
    } catch (error) {
      if (parts.signal.aborted || res.headersSent) return void req.socket.destroy();
      send(errorReply(error instanceof ApiError ? error : apiErrors.internal(), correlationId));
    }
  };
}

function answerControl(parts: PipelineParts, method: string, url: URL, bodyText: string): Reply {
  const match = parts.controlRouter.match(method, url.pathname);
  if (!match) throw apiErrors.notFound(`No simulator control route at ${method} ${url.pathname}.`);
  return match.route.handler({ params: match.params, body: BODY_METHODS.has(method) ? parseJsonBody(bodyText) : undefined });
}
