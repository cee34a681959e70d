import { GenesysClient, type GenesysClientOptions } from '../../../src/directory/genesys/genesysClient';
import { CachedIdentityResolver, type CachedIdentityResolverOptions } from '../../../src/directory/cache/cachedIdentityResolver';
import { UserBatcher, type BulkLookup } from '../../../src/directory/lookup/userBatcher';
import { UserLookup, type GenesysCaller } from '../../../src/directory/lookup/userLookup';
import type { Resolution } from '../../../src/directory/types';
import { startSimulator } from '../../../src/simulator/index';
import type { RunningSimulator, SimulatorOptions } from '../../../src/simulator/types';
import { silentLogger } from '../../../src/telemetry/logger';

/**
 * Shared fixtures for the directory specs: a real Genesys simulator on port 0
 * and GenesysClients pointed at it through the real SDK.
 */

/** A simulator without background rate limiting, for one test. */
export function startSim(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, ...options });
}

/** Retry settings that keep failing tests short. */
export const FAST_RETRY = { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50, budgetMs: 3_000 } as const;

/** A client for `sim` with its credentials and fast retries; `overrides` win. */
export function clientFor(sim: RunningSimulator, overrides: Partial<ConstructorParameters<typeof GenesysClient>[0]> = {}): GenesysClient {
  return new GenesysClient({
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    apiUrl: sim.url,
    requestTimeoutMs: 2_000,
    retry: FAST_RETRY,
    logger: silentLogger(),
    ...overrides,
  });
}

/** A manual clock in milliseconds. */
export interface FakeClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export function fakeClock(start = 1_000_000): FakeClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Requests the simulator saw on one route (`METHOD /pattern`). */
export function routeCount(sim: RunningSimulator, route: string): number {
  return sim.stats().byRoute[route] ?? 0;
}

export const BULK_ROUTE = 'GET /api/v2/users';
export const TOKEN_ROUTE = 'POST /oauth/token';

/** A GenesysCaller that answers every call with `answer` (or rejects with it when it is an Error). */
export function stubCaller(answer: unknown): GenesysCaller & { calls: number } {
  const stub = {
    calls: 0,
    call<T>(): Promise<T> {
      stub.calls++;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer as T);
    },
  };
  return stub;
}

/** A BulkLookup whose answers the test releases by hand, recording each batch. */
export function manualBulkLookup(): BulkLookup & {
  batches: string[][];
  /** Answers batch `index` with not_found for every id, or with `answer`. */
  release(index: number, answer?: Map<string, Resolution> | Error): void;
  /** Resolves once `count` batches have been requested. */
  batchesRequested(count: number): Promise<void>;
} {
  const pending: { resolve: (m: Map<string, Resolution>) => void; reject: (e: Error) => void }[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const batches: string[][] = [];
  return {
    batches,
    lookupMany(ids) {
      batches.push([...ids]);
      for (const w of waiters.filter((w) => batches.length >= w.count)) w.resolve();
      return new Promise((resolve, reject) => pending.push({ resolve, reject }));
    },
    release(index, answer) {
      const p = pending[index]!;
      if (answer instanceof Error) p.reject(answer);
      else p.resolve(answer ?? new Map(batches[index]!.map((id) => [id, { status: 'not_found' }])));
    },
    batchesRequested(count) {
      if (batches.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}

/** The whole directory stack against `sim`: client -> lookup -> batcher -> cached resolver. */
export interface DirectoryStack {
  readonly client: GenesysClient;
  readonly batcher: UserBatcher;
  readonly resolver: CachedIdentityResolver;
  close(): void;
}

export function directoryStack(
  sim: RunningSimulator,
  options: { client?: Partial<GenesysClientOptions>; resolver?: Partial<CachedIdentityResolverOptions> } = {},
): DirectoryStack {
  const client = clientFor(sim, options.client);
  const batcher = new UserBatcher({ lookup: new UserLookup({ client }) });
  const resolver = new CachedIdentityResolver({ lookup: batcher, ...options.resolver });
  return {
    client,
    batcher,
    resolver,
    close: () => {
      batcher.close();
      client.close();
    },
  };
}

/**
 * Runs `fn` against a simulator of its own, closed afterwards. For tests that
 * abandon requests in flight (timeouts, aborts, budget stops): closing the
 * simulator kills them, so they cannot reach, or be counted by, another test.
 */
export async function withSim<T>(fn: (sim: RunningSimulator) => Promise<T>, options: SimulatorOptions = {}): Promise<T> {
  const sim = await startSim(options);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}
