import { parseArgs } from 'node:util';
import { COMMAND_USAGE } from './usage';

/** A command's options, in node:util parseArgs form. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Where usage and problems go. */
export interface UsageIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

export type CommandArgs =
  | { readonly exitCode: number }
  | { readonly exitCode?: undefined; readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>; readonly positionals: readonly string[] };

/**
 * The one way every command reads its arguments: `-h`/`--help` prints the
 * command's usage on stdout (exit 0); an unknown option, a missing value or a
 * stray argument prints the problem and the usage on stderr (exit 2).
 */
export function parseCommandArgs(command: string, args: readonly string[], options: OptionSpec, io: UsageIo, allowPositionals = false): CommandArgs {
  const usage = COMMAND_USAGE[command]?.() ?? '';
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals });
  } catch (err) {
    io.stderr.write(`genesys-otel-enricher ${command}: ${(err as Error).message}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if (parsed.values.help === true) {
    io.stdout.write(usage);
    return { exitCode: 0 };
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** A bad option value: the problem and the usage on stderr, exit code 2. */
export function usageError(command: string, message: string, io: UsageIo): number {
  io.stderr.write(`genesys-otel-enricher ${command}: ${message}\n\n${COMMAND_USAGE[command]?.() ?? ''}`);
  return 2;
}
