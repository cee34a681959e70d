import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokens } from './access-tokens';
import { controlRoutes } from './control';
import { inspectUser, toSimulatedUser, type UserInspection } from './inspect';
import { createTokenEndpoint } from './oauth';
import { resolveOptions } from './options';
import { buildOrg, DEMO_SEED, newUser } from './org/seed';
import type { OrgStore } from './org/store';
import { createRequestHandler } from './pipeline';
import { RateLimiter } from './rate-limit';
import { Router } from './router';
import { authorizationRoutes } from './routes/authorization';
import { presenceRoutes } from './routes/presence';
import { proficiencyRoutes } from './routes/proficiencies';
import { queueRoutes } from './routes/queues';
import type { ApiRoute, RouteDeps } from './routes/route-types';
import { routingStatusRoutes } from './routes/routing-status';
import { tokenRoutes } from './routes/tokens';
import { divisionRoutes } from './routes/divisions';
import { groupRoutes } from './routes/groups';
import { stationRoutes } from './routes/stations';
import { userSearchRoutes } from './routes/users-search';
import { workforceRoutes } from './routes/workforce';
import { userReadRoutes } from './routes/users-read';
import { userWriteRoutes } from './routes/users-write';
import { StatsRecorder } from './stats';
import type { FaultSwitches, RunningSimulator, SimulatedUser, SimulatorOptions } from './types';
import { isUuid } from './validate';

/** A running simulator, plus a look at everything it holds about a user. */
export interface Simulator extends RunningSimulator {
  /** A user's sessions, queues, skills, languages, grants, presence...; undefined if unknown. */
  inspectUser(id: string): UserInspection | undefined;
  /** Gives a user an external id (e.g. an HR employee number), as an identity provider or admin would. */
  addExternalId(userId: string, authorityName: string, externalKey: string): void;
}

/** Every API route the simulator serves. */
export function apiRoutes(deps: RouteDeps): ApiRoute[] {
  return [
    ...userReadRoutes(deps),
    ...userWriteRoutes(deps),
    ...queueRoutes(deps),
    ...proficiencyRoutes(deps),
    ...routingStatusRoutes(deps),
    ...presenceRoutes(deps),
    ...authorizationRoutes(deps),
    ...tokenRoutes(deps),
    ...stationRoutes(deps),
    ...groupRoutes(deps),
    ...divisionRoutes(deps),
    ...workforceRoutes(deps),
    ...userSearchRoutes(deps),
  ];
}

/**
 * Starts a Genesys Cloud simulator: a real HTTP server speaking the Platform
 * API v2 subset this project uses, and `/oauth/token`, so the official SDK can
 * talk to it through `client.setGateway({host, protocol: 'http', port})`.
 * Rejects on bad options or if the port cannot be bound.
 */
export async function startSimulator(options?: SimulatorOptions): Promise<Simulator> {
  const resolved = resolveOptions(options);
  const { store, org } = buildOrg({ seed: DEMO_SEED, demo: resolved.seedDemoOrg });
  const faults: FaultSwitches = {};
  const stats = new StatsRecorder();
  const tokens = new AccessTokens({ lifetimeSeconds: resolved.tokenLifetimeSeconds, now: Date.now });
  const shutdown = new AbortController();
  const deps: RouteDeps = {
    store,
    faults,
    now: () => new Date(),
    behaviour: { inactiveRemovesRoleGrants: resolved.inactiveRemovesRoleGrants },
    recordBulkIds: (ids) => stats.bulkIds(ids),
  };
  const control = {
    faults,
    org,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    expireAllTokens: () => tokens.expireAll(),
    inspectUser: (id: string) => inspectUser(store, id),
  };
  const handler = createRequestHandler({
    apiRouter: new Router(apiRoutes(deps)),
    controlRouter: new Router(controlRoutes(control)),
    tokenEndpoint: createTokenEndpoint({ clientId: resolved.clientId, clientSecret: resolved.clientSecret, tokens }),
    tokens,
    limiter: new RateLimiter({ limitPerMinute: resolved.rateLimitPerMinute, now: Date.now }),
    faults,
    stats,
    signal: shutdown.signal,
  });
  const server = createServer((req, res) => void handler(req, res));
  const port = await listen(server, resolved.port, resolved.host);
  const hostInUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostInUrl}:${port}`,
    port,
    clientId: resolved.clientId,
    clientSecret: resolved.clientSecret,
    ...control,
    getUser: (id) => {
      const user = store.users.get(id.toLowerCase());
      return user && toSimulatedUser(store, user);
    },
    putUser: (user) => putUser(store, user),
    addExternalId: (userId, authorityName, externalKey) => {
      const id = userId.toLowerCase();
      if (!store.users.has(id)) throw new Error(`addExternalId: unknown user ${userId}`);
      store.externalIds.push({ userId: id, authorityName, externalKey });
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stores the user as given (no side effects: setting `deleted` here does not
 * strip grants the way DELETE does). An unknown division is created. Version
 * defaults to the stored one plus 1, or 1 for a new user.
 */
function putUser(store: OrgStore, input: Omit<SimulatedUser, 'version'> & { version?: number }): SimulatedUser {
  if (!isUuid(input.id)) throw new Error(`putUser: id must be a UUID, got '${input.id}'`);
  const id = input.id.toLowerCase();
  if (!store.divisions.has(input.division.id)) {
    store.divisions.set(input.division.id, { id: input.division.id, name: input.division.name, homeDivision: false });
  }
  const existing = store.users.get(id);
  const user = existing ?? newUser(store, { id, name: input.name, divisionId: input.division.id });
  Object.assign(user, {
    name: input.name,
    username: input.username,
    email: input.email,
    state: input.state,
    divisionId: input.division.id,
    version: input.version ?? (existing ? existing.version + 1 : 1),
  });
  store.users.set(id, user);
  return toSimulatedUser(store, user);
}
