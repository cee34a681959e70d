import type { Reply } from '../http-io';
import type { OrgStore } from '../org/store';
import type { Route } from '../router';
import type { FaultSwitches } from '../types';

/** What an API handler sees of a request that passed faults and authentication. */
export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body; undefined when empty. */
  readonly body: unknown;
}

/** Answers a request, or throws an ApiError. */
export type ApiHandler = (request: ApiRequest) => Reply;

export type ApiRoute = Route<ApiHandler>;

/** What the route modules are built from. */
export interface RouteDeps {
  readonly store: OrgStore;
  /** Live fault switches (read for `versionConflicts`). */
  readonly faults: FaultSwitches;
  /** The current time. */
  readonly now: () => Date;
  /** How the simulated org behaves where Genesys' own documentation differs. */
  readonly behaviour: { readonly inactiveRemovesRoleGrants: boolean };
  /** Records the ids one bulk `GET /api/v2/users?id=...` asked for. */
  readonly recordBulkIds: (ids: string[]) => void;
}
