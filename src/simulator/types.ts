import type { UserState } from '../directory/types';

/**
 * Programmatic face of the Genesys Cloud simulator (a real HTTP server). Tests,
 * the demo and the embedded default use it; the directory code never sees it:
 * it only talks HTTP through the official SDK.
 */
export interface SimulatorOptions {
  /** Listen port; 0 picks a free one. Default 0. */
  port?: number;
  /** Listen host. Default 127.0.0.1. */
  host?: string;
  /** OAuth client credentials the simulator accepts. Defaults are generated. */
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued access tokens, seconds. Default 86400. */
  tokenLifetimeSeconds?: number;
  /** Requests per minute per token before 429; 0 disables. Default 0 (tests switch it on). */
  rateLimitPerMinute?: number;
  /** Seed the demo org. Default true. */
  seedDemoOrg?: boolean;
  /**
   * Whether making a user inactive takes away the role grants the user holds
   * directly (group grants stay with the group), as Genesys' newer help page
   * says; reactivating does not bring them back. Default true. False models
   * the older page, where everything stays.
   */
  inactiveRemovesRoleGrants?: boolean;
}

/** Fault switches; each can be changed at any time, also over HTTP (`/__sim/faults`). */
export interface FaultSwitches {
  /** The next N API requests (not /oauth/token) answer 429 with this Retry-After (seconds). */
  rateLimitBurst?: { count: number; retryAfterSeconds: number };
  /**
   * Every `every`-th API request (not /oauth/token), counting from when the
   * switch was set, answers 429 with this Retry-After (seconds): a Genesys that
   * throttles part of the traffic for as long as it is set. `seen` is the
   * simulator's own count.
   */
  rateLimitEvery?: { every: number; retryAfterSeconds: number; seen?: number };
  /** Added latency for every request, milliseconds. */
  latencyMs?: number;
  /** While true every request (API and OAuth) answers 503; `outageMode: 'reset'` drops connections instead. */
  outage?: boolean;
  outageMode?: '503' | 'reset';
  /** The next N PATCH/PUT state changes answer a version conflict (409 unless `versionConflictStatus` says otherwise). */
  versionConflicts?: number;
  /**
   * How those conflicts answer: 409 `general.conflict` (default), 400
   * `bad.request` "does not match the current version", or 408. Genesys has
   * been seen to answer each (genesys-api.md).
   */
  versionConflictStatus?: 400 | 408 | 409;
}

/** Per-route request counts since start or the last reset. */
export interface SimulatorStats {
  /** Total API requests (excludes /__sim). */
  total: number;
  /** Keyed by `METHOD /route/pattern`, e.g. `GET /api/v2/users`, `GET /api/v2/users/{id}`, `POST /oauth/token`. */
  byRoute: Record<string, number>;
  /** Keyed by HTTP status. */
  byStatus: Record<string, number>;
  /** Ids requested through bulk GET /api/v2/users?id=..., in order, one array per call. */
  bulkIdBatches: string[][];
}

/** The seeded demo org, grouped so tests can pick users by category. */
export interface DemoOrg {
  active: string[];
  inactive: string[];
  deleted: string[];
  /** Well-formed ids that exist nowhere. */
  unknown: string[];
}

export interface SimulatedUser {
  id: string;
  name: string;
  username: string;
  email: string;
  state: UserState;
  division: { id: string; name: string };
  version: number;
}

export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:40123, for API and OAuth alike. */
  readonly url: string;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly org: DemoOrg;
  /** Mutable fault switches. */
  readonly faults: FaultSwitches;
  stats(): SimulatorStats;
  resetStats(): void;
  /** Reads a user as stored (any state), or undefined. */
  getUser(id: string): SimulatedUser | undefined;
  /** Adds (or replaces) a user; returns it. */
  putUser(user: Omit<SimulatedUser, 'version'> & { version?: number }): SimulatedUser;
  /** Invalidates every issued access token now (as if they expired). */
  expireAllTokens(): void;
  close(): Promise<void>;
}
