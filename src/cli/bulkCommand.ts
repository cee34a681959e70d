import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/index';
import { STATE_CHANGE_REASONS, type StateChangeReason } from '../deactivation/types';
import { createLogger } from '../telemetry/logger';
import type { CommandIo } from './commandIo';
import { FactoryUnavailableError, type BulkItem, type DeactivationRuntime } from './deactivationFactory';
import { parseIdList, sortIds } from './ids';
import { ProgressReporter } from './progress';
import { bulkUsage as usage } from './bulkUsage';
import { formatSummary, itemFailed } from './runSummary';

export type BulkAction = 'deactivate' | 'reactivate';

/** Exit codes: every user fine; a user failed (or ended partial); usage or configuration error. */
export const EXIT = { ok: 0, userFailed: 1, usage: 2 } as const;

interface Parsed {
  readonly help: boolean;
  readonly ids: readonly string[];
  readonly files: readonly string[];
  readonly dryRun: boolean;
  readonly reason?: StateChangeReason;
  readonly json: boolean;
  readonly simulator: boolean;
  /** YAML configuration file (`--config`); else ENRICHER_CONFIG; else the environment only. */
  readonly configFile?: string;
}

/** A problem with how the command was called or configured: exit 2 with the message. */
class UsageError extends Error {}

/**
 * `deactivate` / `reactivate`: validates the arguments and configuration,
 * builds the use case through the injected factory, runs every user (invalid
 * ids are reported as failed without stopping the others), shows progress on
 * stderr and the summary table (or JSON) on stdout. Returns the exit code.
 */
export async function runBulkCommand(action: BulkAction, args: readonly string[], io: CommandIo): Promise<number> {
  let parsed: Parsed;
  let config: Config;
  let ids: string[];
  try {
    parsed = parseCommand(action, args);
    if (parsed.help) {
      io.stdout.write(usage(action));
      return EXIT.ok;
    }
    ids = [...parsed.ids, ...(await readIdFiles(parsed.files, io))];
    if (ids.length === 0) throw new UsageError('no user ids: give them as arguments or with --file');
    config = commandConfig(io, parsed);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`genesys-otel-enricher ${action}: ${err.message}\n\n${usage(action)}`);
    return EXIT.usage;
  }

  const logger = createLogger({ level: 'warn', destination: { write: (s: string) => void io.stderr.write(s) } });
  let runtime: DeactivationRuntime;
  try {
    runtime = await io.factory(config, { simulator: parsed.simulator, logger });
  } catch (err) {
    if (!(err instanceof FactoryUnavailableError)) throw err;
    io.stderr.write(`genesys-otel-enricher ${action}: ${err.message}\n`);
    return EXIT.usage;
  }
  if (parsed.simulator)
    io.stderr.write('*** using the BUILT-IN GENESYS SIMULATOR (a demo org that lives only as long as this command), not your org ***\n');
  try {
    const items = await runAll(action, ids, parsed, runtime, io);
    io.stdout.write(parsed.json ? `${JSON.stringify(items, null, 2)}\n` : formatSummary(items));
    return items.some(itemFailed) ? EXIT.userFailed : EXIT.ok;
  } finally {
    await runtime.close();
  }
}

async function runAll(action: BulkAction, raw: readonly string[], parsed: Parsed, runtime: DeactivationRuntime, io: CommandIo): Promise<BulkItem[]> {
  const ids = sortIds(raw);
  if (ids.duplicates > 0) io.stderr.write(`note: ${ids.duplicates} repeated user id(s) run once\n`);
  const verb = parsed.dryRun ? `${action} (dry run)` : action;
  // Counted as the summary counts: every id given, malformed ones failed from the start, partial runs failed.
  const total = ids.valid.length + ids.invalid.length;
  const progress = total > 1 ? new ProgressReporter(io.stderr, verb) : undefined;
  let failed = ids.invalid.length;
  const results =
    ids.valid.length === 0
      ? []
      : await runtime.runBulk(action, ids.valid, {
          dryRun: parsed.dryRun,
          reason: parsed.reason,
          actor: io.actor,
          signal: io.signal,
          onProgress: (p) => {
            if (p.last && itemFailed(p.last)) failed++;
            progress?.update({ done: p.done + ids.invalid.length, total, failed, etaMs: p.etaMs });
          },
        });
  progress?.finish();
  const byId = new Map(results.map((r) => [r.userId, r]));
  const invalid = new Set(ids.invalid);
  return ids.ordered.map(
    (id) =>
      byId.get(id) ?? {
        userId: id,
        error: invalid.has(id)
          ? { code: 'invalid_user_id', message: 'not a Genesys Cloud user id (a UUID)' }
          : { code: 'not_run', message: 'interrupted before this user; run again to continue' },
      },
  );
}

function parseCommand(action: BulkAction, args: readonly string[]): Parsed {
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        file: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        simulator: { type: 'boolean' },
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
        ...(action === 'deactivate' ? { reason: { type: 'string' as const } } : {}),
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  return {
    help: values.help === true,
    ids: positionals,
    files: (values.file as string[] | undefined) ?? [],
    dryRun: values['dry-run'] === true,
    reason: values.reason === undefined ? undefined : toReason(String(values.reason)),
    json: values.json === true,
    simulator: values.simulator === true,
    configFile: typeof values.config === 'string' ? values.config : undefined,
  };
}

/** A reason in any letter case, as Genesys spells it. */
function toReason(raw: string): StateChangeReason {
  const reason = STATE_CHANGE_REASONS.find((r) => r.toLowerCase() === raw.toLowerCase());
  if (!reason) throw new UsageError(`--reason must be one of ${STATE_CHANGE_REASONS.join(', ')}, got "${raw}"`);
  return reason;
}

async function readIdFiles(files: readonly string[], io: CommandIo): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    try {
      ids.push(...parseIdList(await io.readFile(file)));
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      throw new UsageError(`cannot read --file ${file}: ${why}`);
    }
  }
  return ids;
}

/**
 * The Config, refusing the embedded simulator unless asked for: without
 * credentials the service falls back to a demo org, which for an offboarding
 * tool would silently "deactivate" people who do not exist.
 */
function commandConfig(io: CommandIo, { simulator, configFile }: Parsed): Config {
  let config: Config;
  try {
    // The same sources as `serve` (file < environment), so both use one data directory and org.
    config = loadConfig({ env: io.env, file: configFile }).config;
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  if (config.genesys.mode !== 'credentials' && !simulator)
    throw new UsageError(
      'GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET are not set, so there is no org to work on. ' +
        'Set them (and GENESYS_REGION or GENESYS_API_URL), or pass --simulator to try this on the built-in demo org.',
    );
  if (config.genesys.mode === 'credentials' && simulator)
    throw new UsageError('--simulator cannot be combined with GENESYS_CLIENT_ID: unset the credentials to use the simulator');
  return config;
}
