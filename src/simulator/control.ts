import { apiErrors } from './api-error';
import { parseFaults, replaceFaults } from './faults';
import type { Reply } from './http-io';
import type { UserInspection } from './inspect';
import type { Route } from './router';
import type { DemoOrg, FaultSwitches, SimulatorStats } from './types';

/** Prefix of the simulator's own control routes (no auth, no faults, not counted). */
export const CONTROL_PREFIX = '/__sim';

/** A control route handler. */
export type ControlHandler = (request: { params: Readonly<Record<string, string>>; body: unknown }) => Reply;

/** What the control routes reach into. */
export interface ControlDeps {
  readonly faults: FaultSwitches;
  readonly org: DemoOrg;
  stats(): SimulatorStats;
  resetStats(): void;
  expireAllTokens(): void;
  inspectUser(id: string): UserInspection | undefined;
}

/**
 * `GET/PUT /__sim/faults` (PUT replaces every switch; a bad body is a 400
 * naming each problem), `GET /__sim/stats`, `POST /__sim/reset-stats`,
 * `POST /__sim/expire-tokens`, `GET /__sim/org` (the demo ids) and
 * `GET /__sim/users/{id}` (a user's sessions, queues, grants...).
 * Credentials are never served here.
 */
export function controlRoutes(deps: ControlDeps): Route<ControlHandler>[] {
  return [
    { method: 'GET', pattern: `${CONTROL_PREFIX}/faults`, handler: () => ({ status: 200, body: deps.faults }) },
    {
      method: 'PUT',
      pattern: `${CONTROL_PREFIX}/faults`,
      handler: ({ body }) => {
        const parsed = parseFaults(body);
        if ('problems' in parsed) throw apiErrors.badRequest(`Invalid fault switches: ${parsed.problems.join('; ')}.`);
        replaceFaults(deps.faults, parsed.faults);
        return { status: 200, body: deps.faults };
      },
    },
    { method: 'GET', pattern: `${CONTROL_PREFIX}/stats`, handler: () => ({ status: 200, body: deps.stats() }) },
    { method: 'POST', pattern: `${CONTROL_PREFIX}/reset-stats`, handler: () => (deps.resetStats(), { status: 204 }) },
    { method: 'POST', pattern: `${CONTROL_PREFIX}/expire-tokens`, handler: () => (deps.expireAllTokens(), { status: 204 }) },
    { method: 'GET', pattern: `${CONTROL_PREFIX}/org`, handler: () => ({ status: 200, body: deps.org }) },
    {
      method: 'GET',
      pattern: `${CONTROL_PREFIX}/users/{id}`,
      handler: ({ params }) => {
        const inspection = deps.inspectUser(params.id);
        if (!inspection) throw apiErrors.userNotFound();
        return { status: 200, body: inspection };
      },
    },
  ];
}
