/**
 * How the CLI gets a soft-deactivation use case: a factory that builds it
 * in-process from the validated Config. The commands only see the types here;
 * the composition of Genesys client, cache, journal and rate limit lives in the
 * factory, so the commands stay thin adapters and tests inject a fake.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/types';
import { ConfigError } from '../config/errors';
import { directoriesToWrite, unwritableDirectories } from '../config/writableDirs';
import { BulkRunner, type BulkItemResult } from '../deactivation/index';
import type { DeactivationUseCase, RunOptions, RunReport } from '../deactivation/types';
import { buildDeactivation } from '../service/deactivation';
import { buildFleet } from '../service/fleet';
import { startSimulator, type Simulator } from '../simulator/index';
import type { Logger } from '../telemetry/logger';

/** Progress of a bulk run; `etaMs` is the estimated time left, when one can be given. */
export interface BulkProgress {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  readonly etaMs?: number;
  /** The user that just finished; absent in the first call. The CLI counts failures from it as its summary does. */
  readonly last?: BulkItem;
}

/** One user's result in a bulk run: the report, or the error that stopped the run for that user. */
export interface BulkItem {
  /** The user id; empty for a person who could not be resolved to one. */
  readonly userId: string;
  /** How the person was named when not by user id, e.g. `HR:E10001` or `leavers.csv line 12 (HR:E10001)`. */
  readonly source?: string;
  readonly report?: RunReport;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface BulkOptions extends RunOptions {
  /** Called after each user finishes (and once at the start with done 0). */
  readonly onProgress?: (progress: BulkProgress) => void;
}

/**
 * Runs one action over many (already validated) user ids within the
 * configured request rate; never rejects for one user's failure: each user
 * gets a BulkItem, in the order given. Stops starting new users once
 * `signal` aborts (those users come back with an error).
 */
export type RunBulk = (
  action: 'deactivate' | 'reactivate',
  userIds: readonly string[],
  options: BulkOptions,
) => Promise<readonly BulkItem[]>;

/** What a factory hands the CLI; `close` releases clients, timers and the embedded simulator. */
export interface DeactivationRuntime {
  readonly useCase: DeactivationUseCase;
  readonly runBulk: RunBulk;
  close(): Promise<void>;
}

export interface FactoryOptions {
  /** Use the built-in simulator (a demo org) instead of GENESYS_* credentials. */
  readonly simulator: boolean;
  /** Where the module logs (the CLI sends it to stderr). */
  readonly logger: Logger;
}

export type DeactivationFactory = (config: Config, options: FactoryOptions) => Promise<DeactivationRuntime>;

/** Thrown by a factory that cannot build the use case in this build; the CLI exits 2 with the message. */
export class FactoryUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FactoryUnavailableError';
  }
}

/** Users in flight at once in a bulk run; the request rate, not this, bounds the load on Genesys. */
const BULK_CONCURRENCY = 4;

/**
 * The factory the CLI uses: the real Deactivator over its own Genesys client
 * (rate-limited to ENRICHER_GENESYS_MAX_RPM), the file journal in
 * ENRICHER_DATA_DIR (in Redis with ENRICHER_REDIS_URL), and the BulkRunner. The CLI has no enricher cache, so
 * `identity()` asks Genesys directly and the cache step is skipped (the
 * running service's entry refreshes on its own TTL).
 *
 * With `simulator`, a built-in simulator is started for the command's
 * lifetime and the journal goes to a temporary directory removed on close:
 * runs against the demo org must never leave journals next to a real org's.
 */
export const createDeactivationRuntime: DeactivationFactory = async (config, options) => {
  if (!options.simulator) {
    // Fail before the first user, naming ENRICHER_DATA_DIR, rather than with journal_error on each.
    const problems = unwritableDirectories(directoriesToWrite(config, { deactivation: true, exportQueue: false }));
    if (problems.length > 0) throw new FactoryUnavailableError(new ConfigError(problems).message);
    return buildRuntime(config, options, config.deactivation.dataDir);
  }
  const sim = await startSimulator({ host: '127.0.0.1', port: 0 });
  const dataDir = await mkdtemp(join(tmpdir(), 'genesys-otel-enricher-sim-'));
  const cleanUp = async () => {
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    return buildRuntime(config, options, dataDir, sim, cleanUp);
  } catch (err) {
    await cleanUp();
    throw err;
  }
};

function bulkItem(r: BulkItemResult): BulkItem {
  return r.ok ? { userId: r.userId, report: r.report } : { userId: r.userId, error: { code: r.error.code, message: r.error.message } };
}

function buildRuntime(config: Config, options: FactoryOptions, dataDir: string, sim?: Simulator, cleanUp?: () => Promise<void>): DeactivationRuntime {
  const g = config.genesys;
  const target = sim
    ? { clientId: sim.clientId, clientSecret: sim.clientSecret, region: g.region, apiUrl: sim.url }
    : { clientId: g.clientId ?? '', clientSecret: g.clientSecret ?? '', region: g.region, apiUrl: g.apiUrl };
  // A fleet's Redis (not for the demo org): the CLI's runs take the same fleet-wide lock and journal as the service's, and share its Genesys budget.
  const fleet = sim ? undefined : buildFleet(config.fleet, config.cache, options.logger);
  fleet?.start();
  const parts = buildDeactivation({ target, genesys: g, deactivation: config.deactivation, logger: options.logger, dataDir, fleet });
  return runtimeOver(parts.useCase, async () => {
    parts.close();
    await fleet?.close();
    await cleanUp?.();
  });
}

/** A DeactivationRuntime over a use case: bulk runs through the BulkRunner, `close` as given. */
export function runtimeOver(useCase: DeactivationUseCase, close: () => Promise<void>): DeactivationRuntime {
  const bulk = new BulkRunner({ useCase, concurrency: BULK_CONCURRENCY });
  return {
    useCase,
    runBulk: async (action, userIds, runOptions) => {
      const { onProgress, ...rest } = runOptions;
      const result = await bulk.runBulk(userIds, action, rest, onProgress && ((p) => onProgress({ done: p.done, total: p.total, failed: p.failed, etaMs: p.etaMs, last: p.last && bulkItem(p.last) })));
      return result.results.map(bulkItem);
    },
    close,
  };
}
