import type { IncomingMessage } from 'node:http';
import type { DeactivationUseCase, RunReport, RunStatus } from '../deactivation/types';
import { normalizeUserId } from '../directory/userId';
import type { BearerAuth } from './auth';
import type { AuthThrottle } from './authThrottle';
import { parseRunRequest, readBody } from './body';
import { AdminError } from './errors';
import type { UserRoute } from './routes';

export interface UserRoutesOptions {
  /** The token check; undefined when ENRICHER_ADMIN_TOKEN is unset (routes answer 403 admin_disabled). */
  auth?: BearerAuth;
  /** Failed authentications per client address; over the limit, requests are answered 429 before the token is checked. */
  throttle?: AuthThrottle;
  /** The use case; undefined answers 503 deactivation_unavailable. */
  deactivation?: DeactivationUseCase;
  /** Largest accepted body, bytes. */
  bodyLimitBytes: number;
  /** Aborts runs in flight (service shutdown). A client hanging up does not: a run once started should finish. */
  signal?: AbortSignal;
}

/** What the audit record learns while a request is served; filled in as checks pass. */
export interface RequestFacts {
  who: string;
  /** The client's address (TCP peer). */
  client: string;
  userId?: string;
  dryRun?: boolean;
  reason?: string;
  runStatus?: RunStatus;
  runId?: string;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Serves one /v1/users request whose route and method already matched. The
 * order of the checks is the contract: enabled (403), failed-authentication
 * throttle for the client address (429), token (401), user id
 * (400, before the use case is ever called), wiring (503), body (415/413/400),
 * then the use case; its errors are thrown for the catalogue to map.
 */
export async function serveUserRoute(
  req: IncomingMessage,
  route: UserRoute,
  rawUserId: string,
  options: UserRoutesOptions,
  facts: RequestFacts,
): Promise<Answer> {
  if (!options.auth) throw new AdminError('admin_disabled');
  const wait = options.throttle?.retryAfterSeconds(facts.client);
  if (wait !== undefined) throw new AdminError('too_many_auth_failures', undefined, { retryAfterSeconds: wait }, { 'retry-after': String(wait) });
  const caller = options.auth.check(req.headers.authorization);
  facts.who = caller.who;
  if (!caller.authenticated) {
    options.throttle?.failed(facts.client);
    throw new AdminError('unauthorized');
  }
  const userId = normalizeUserId(rawUserId);
  if (!userId) throw new AdminError('invalid_user_id');
  facts.userId = userId;
  const useCase = options.deactivation;
  if (!useCase) throw new AdminError('deactivation_unavailable');

  if (route.name === 'identity') return identityAnswer(userId, await useCase.identity(userId));

  const body = await readBody(req, options.bodyLimitBytes);
  const run = parseRunRequest(body, req.headers['content-type'], route.name === 'deactivate');
  facts.dryRun = run.dryRun;
  facts.reason = run.reason;
  const { dryRun, reason, ...steps } = run;
  const runOptions = { dryRun, reason, ...steps, actor: `admin:${caller.who}`, signal: options.signal };
  const report =
    route.name === 'deactivate' ? await useCase.deactivate(userId, runOptions) : await useCase.reactivate(userId, runOptions);
  facts.runStatus = report.status;
  facts.runId = report.runId;
  return reportAnswer(report);
}

/** 200 with the report, except a failed run: 502 run_failed carrying the report, so `curl -f` and scripts notice. */
function reportAnswer(report: RunReport): Answer {
  if (report.status !== 'failed') return { status: 200, body: report };
  const failed = report.steps.find((s) => s.outcome === 'failed');
  const detail = failed ? `step "${failed.step}" failed${failed.error ? `: ${failed.error.message}` : ''}; ` : '';
  throw new AdminError('run_failed', `${detail}calling again resumes from the journal`, { report });
}

function identityAnswer(userId: string, resolution: Awaited<ReturnType<DeactivationUseCase['identity']>>): Answer {
  if (resolution.status === 'found') return { status: 200, body: { userId, status: 'found', user: resolution.user } };
  if (resolution.status === 'not_found') throw new AdminError('user_not_found');
  throw new AdminError('genesys_unavailable', `Genesys Cloud look-up failed: ${resolution.reason}`);
}
