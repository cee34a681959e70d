import { ConfigError, loadConfig, type LoadedConfig } from '../../config/index';
import { parseCommandArgs, usageError } from '../commandArgs';
import { renderConfig } from '../../config/filePrint';
import type { Config } from '../../config/types';
import { directoriesToWrite, unwritableDirectories } from '../../config/writableDirs';

/** Options every command that runs the service accepts. */
const CONFIG_OPTION = { config: { type: 'string', short: 'c' } } as const;

/** Where a command writes and what environment it reads; the process's by default, buffers in tests. */
export interface ConfigCommandIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

const PROCESS_IO: ConfigCommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

export interface CommandConfig {
  /** Exit code to return at once (bad arguments or configuration), when set. */
  readonly exitCode?: number;
  readonly loaded?: LoadedConfig;
  /** Arguments left for the command itself. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

/**
 * Parses `--config file.yaml` (and `extra` options) and loads the configuration
 * from that file (or ENRICHER_CONFIG) and the environment. Problems are printed
 * to stderr, all of them, and give exit code 2.
 */
export function configForCommand(
  command: string,
  args: string[],
  options: {
    io?: ConfigCommandIo;
    defaults?: Record<string, string>;
    extra?: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  } = {},
): CommandConfig {
  const io = options.io ?? PROCESS_IO;
  const parsed = parseCommandArgs(command, args, { ...CONFIG_OPTION, ...options.extra }, io);
  if (parsed.exitCode !== undefined) return { exitCode: parsed.exitCode, values: {} };
  const values = parsed.values as Record<string, string | boolean | undefined>;
  try {
    const file = typeof values.config === 'string' ? values.config : undefined;
    return { loaded: loadConfig({ env: io.env, file, defaults: options.defaults }), values };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`genesys-otel-enricher: ${err.message}\n`);
    return { exitCode: 2, values };
  }
}

/**
 * Start-up check of the directories the service will write (the persistent
 * queue's, and the journal's when the admin routes can run deactivations):
 * prints every problem like a configuration error and gives exit code 2, so a
 * container with a read-only working directory fails at once instead of
 * answering `journal_error` on the first deactivation.
 */
export function checkServiceDirectories(config: Config, io: Pick<ConfigCommandIo, 'stderr'> = PROCESS_IO): number | undefined {
  const problems = unwritableDirectories(directoriesToWrite(config, { deactivation: config.admin.token !== undefined, exportQueue: true }));
  if (problems.length === 0) return undefined;
  io.stderr.write(`genesys-otel-enricher: ${new ConfigError(problems).message}\n`);
  return 2;
}

/**
 * `config [--config file.yaml] [--format yaml|json]`: prints the effective
 * configuration (file, environment and defaults merged, validated, secrets
 * redacted) and exits 0; or prints every problem and exits 2.
 */
export async function runConfig(args: string[], io: ConfigCommandIo = PROCESS_IO): Promise<number> {
  const cmd = configForCommand('config', args, { io, extra: { format: { type: 'string', short: 'f' } } });
  if (cmd.exitCode !== undefined) return cmd.exitCode;
  const format = cmd.values.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') return usageError('config', `--format must be yaml or json, got "${String(format)}"`, io);
  io.stdout.write(renderConfig(cmd.loaded!, format));
  return 0;
}
