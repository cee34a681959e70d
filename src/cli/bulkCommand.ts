import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/index';
import { STATE_CHANGE_REASONS, type StateChangeReason } from '../deactivation/types';
import { createLogger } from '../telemetry/logger';
import type { CommandIo } from './commandIo';
import { FactoryUnavailableError, type BulkItem, type DeactivationRuntime } from './deactivationFactory';
import { CsvError, csvColumn, type CsvCell } from './csv';
import { parseIdList, sortIds } from './ids';
import { resolvePeople, type PersonRef } from './people';
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
  /** `--external-id AUTHORITY:KEY`, `--email E`: people to resolve to user ids. */
  readonly externalIds: readonly { authority: string; externalKey: string }[];
  readonly emails: readonly string[];
  /** With `--column`, every `--file` is CSV and this column names the people (`--authority`: external keys; else ids or emails). */
  readonly column?: string;
  readonly authority?: string;
  /** Optional deactivation steps. */
  readonly removeGroups: boolean;
  readonly moveDivision: boolean;
  readonly removeManagementUnit: boolean;
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
  let people: Named;
  try {
    parsed = parseCommand(action, args);
    if (parsed.help) {
      io.stdout.write(usage(action));
      return EXIT.ok;
    }
    ids = [...parsed.ids, ...(parsed.column === undefined ? await readIdFiles(parsed.files, io) : [])];
    people = await namedPeople(parsed, io);
    ids.push(...people.ids);
    if (ids.length === 0 && people.refs.length === 0 && people.unresolved.length === 0)
      throw new UsageError('no users: give user ids as arguments or with --file, or people with --external-id, --email or --file with --column');
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
    const resolved = await resolveNamed(people, runtime, io);
    const items = [...(await runAll(action, [...ids, ...resolved.found.map((f) => f.userId)], parsed, runtime, io, resolved.found)), ...resolved.unresolved];
    io.stdout.write(parsed.json ? `${JSON.stringify(items, null, 2)}\n` : formatSummary(items));
    return items.some(itemFailed) ? EXIT.userFailed : EXIT.ok;
  } finally {
    await runtime.close();
  }
}

async function runAll(
  action: BulkAction,
  raw: readonly string[],
  parsed: Parsed,
  runtime: DeactivationRuntime,
  io: CommandIo,
  sources: readonly { userId: string; source: string }[],
): Promise<BulkItem[]> {
  const sourceOf = new Map<string, string>();
  for (const s of sources) sourceOf.set(s.userId, sourceOf.has(s.userId) ? `${sourceOf.get(s.userId)}; ${s.source}` : s.source);
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
          ...(parsed.removeGroups ? { removeGroups: true } : {}),
          ...(parsed.moveDivision ? { moveDivision: true } : {}),
          ...(parsed.removeManagementUnit ? { removeManagementUnit: true } : {}),
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
  const withSource = (item: BulkItem): BulkItem => (sourceOf.has(item.userId) ? { ...item, source: sourceOf.get(item.userId) } : item);
  return ids.ordered.map(
    (id) =>
      withSource(byId.get(id) ?? {
        userId: id,
        error: invalid.has(id)
          ? { code: 'invalid_user_id', message: 'not a Genesys Cloud user id (a UUID)' }
          : { code: 'not_run', message: 'interrupted before this user; run again to continue' },
      }),
  );
}

/** People named by external id, email or CSV row, and the ids and unusable rows found while reading them. */
interface Named {
  readonly refs: readonly PersonRef[];
  /** User ids found in a CSV column (without --authority). */
  readonly ids: readonly string[];
  /** Rows that name nobody (an empty cell): reported, never run. */
  readonly unresolved: readonly BulkItem[];
  /** Each person's or row's place in what was given, by its source, so failures are reported in that order. */
  readonly order: ReadonlyMap<string, number>;
}

async function namedPeople(parsed: Parsed, io: CommandIo): Promise<Named> {
  const refs: PersonRef[] = [
    ...parsed.externalIds.map((q) => ({ query: q, source: `${q.authority}:${q.externalKey}` })),
    ...parsed.emails.map((email) => ({ query: { email }, source: email })),
  ];
  const ids: string[] = [];
  const unresolved: BulkItem[] = [];
  const order = new Map<string, number>(refs.map((r, i) => [r.source, i]));
  if (parsed.column === undefined) return { refs, ids, unresolved, order };
  for (const file of parsed.files) {
    let cells: CsvCell[];
    try {
      cells = csvColumn(await io.readFile(file), parsed.column);
    } catch (err) {
      if (err instanceof CsvError) throw new UsageError(`--file ${file}: ${err.message}`);
      const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      throw new UsageError(`cannot read --file ${file}: ${why}`);
    }
    for (const { line, value } of cells) {
      const where = `${file} line ${line}`;
      let source = where;
      if (value === '') unresolved.push({ userId: '', source, error: { code: 'empty_cell', message: `${where}: no ${parsed.column}` } });
      else if (parsed.authority !== undefined) refs.push({ query: { authority: parsed.authority, externalKey: value }, source: (source = `${where} (${parsed.authority}:${value})`) });
      else if (value.includes('@')) refs.push({ query: { email: value }, source: (source = `${where} (${value})`) });
      else ids.push(value);
      order.set(source, order.size);
    }
  }
  return { refs, ids, unresolved, order };
}

/** Each named person to a user id, before anything runs; notes on stderr what is being done and what search cannot promise. */
async function resolveNamed(people: Named, runtime: DeactivationRuntime, io: CommandIo): Promise<{ found: readonly { userId: string; source: string }[]; unresolved: BulkItem[] }> {
  if (people.refs.length === 0) return { found: [], unresolved: [...people.unresolved] };
  io.stderr.write(`looking up ${people.refs.length} ${people.refs.length === 1 ? 'person' : 'people'} by external id or email\n`);
  if (people.refs.some((r) => 'email' in r.query)) io.stderr.write('note: email look-ups use Genesys search, which is eventually consistent (changes of the last minutes may not show)\n');
  const resolved = await resolvePeople(runtime.useCase, people.refs, io.signal);
  if (resolved.unresolved.length > 0) io.stderr.write(`${resolved.unresolved.length} could not be resolved to a user; they are reported and not run\n`);
  const place = (item: BulkItem) => people.order.get(item.source ?? '') ?? Number.MAX_SAFE_INTEGER;
  return { found: resolved.found, unresolved: [...people.unresolved, ...resolved.unresolved].sort((a, b) => place(a) - place(b)) };
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
        'external-id': { type: 'string', multiple: true },
        email: { type: 'string', multiple: true },
        column: { type: 'string' },
        authority: { type: 'string' },
        ...(action === 'deactivate'
          ? {
              reason: { type: 'string' as const },
              'remove-groups': { type: 'boolean' as const },
              'move-division': { type: 'boolean' as const },
              'remove-management-unit': { type: 'boolean' as const },
            }
          : {}),
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const column = typeof values.column === 'string' ? values.column : undefined;
  const authority = typeof values.authority === 'string' ? values.authority : undefined;
  if (authority !== undefined && column === undefined) throw new UsageError('--authority names the external ids of a CSV column: give --column too');
  if (column !== undefined && column.trim() === '') throw new UsageError('--column must name a column of the CSV header');
  if (column !== undefined && ((values.file as string[] | undefined) ?? []).length === 0) throw new UsageError('--column reads CSV files: give them with --file');
  return {
    help: values.help === true,
    ids: positionals,
    files: (values.file as string[] | undefined) ?? [],
    externalIds: ((values['external-id'] as string[] | undefined) ?? []).map(toExternalId),
    emails: ((values.email as string[] | undefined) ?? []).map(toEmail),
    ...(column !== undefined ? { column } : {}),
    ...(authority !== undefined ? { authority } : {}),
    removeGroups: values['remove-groups'] === true,
    moveDivision: values['move-division'] === true,
    removeManagementUnit: values['remove-management-unit'] === true,
    dryRun: values['dry-run'] === true,
    reason: values.reason === undefined ? undefined : toReason(String(values.reason)),
    json: values.json === true,
    simulator: values.simulator === true,
    configFile: typeof values.config === 'string' ? values.config : undefined,
  };
}

/** `AUTHORITY:KEY`, split at the first colon (keys may contain colons). */
function toExternalId(raw: string): { authority: string; externalKey: string } {
  const colon = raw.indexOf(':');
  if (colon <= 0 || colon === raw.length - 1) throw new UsageError(`--external-id must be AUTHORITY:KEY (e.g. hr-system:E10001), got "${raw}"`);
  return { authority: raw.slice(0, colon), externalKey: raw.slice(colon + 1) };
}

function toEmail(raw: string): string {
  const email = raw.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(`--email must be an email address, got "${raw}"`);
  return email;
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
function commandConfig(io: CommandIo, { simulator, configFile, moveDivision }: Parsed): Config {
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
  if (moveDivision && !config.deactivation.offboardingDivisionId)
    throw new UsageError('--move-division needs the offboarding division: set ENRICHER_OFFBOARDING_DIVISION_ID (deactivation.offboarding_division_id)');
  return config;
}
