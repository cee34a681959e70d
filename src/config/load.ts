import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV_VARS, readConfig } from './env';
import { ConfigError, type ConfigProblem } from './errors';
import { FILE_KEYS, KEY_BY_ENV } from './fileKeys';
import { readConfigFile } from './fileRead';
import type { Config } from './types';

/** The variable naming a configuration file when `--config` is not given. */
export const CONFIG_FILE_ENV = 'ENRICHER_CONFIG';

type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** The process environment: it overrides the file, and `${env:...}` references read it. */
  readonly env: Env;
  /** YAML file from `--config`; when absent, ENRICHER_CONFIG of `env`; neither: environment only. */
  readonly file?: string;
  /** Values beneath the file and the environment, in variable form (a command's own defaults). */
  readonly defaults?: Readonly<Record<string, string>>;
}

/** Where the effective settings came from; variable names throughout. */
export interface ConfigSources {
  /** Resolved path of the file read, if any. */
  readonly file?: string;
  /** Settings the file gave that the environment did not override. */
  readonly fromFile: readonly string[];
  /** Settings the environment gave (non-empty variables the service knows). */
  readonly fromEnvironment: readonly string[];
  /** Settings both gave; the environment won. */
  readonly overridden: readonly string[];
}

export interface LoadedConfig {
  readonly config: Config;
  readonly sources: ConfigSources;
  /** The settings given (file, environment, command defaults), in variable form, by variable; empty ones left out. */
  readonly values: Readonly<Record<string, string>>;
  /** The default each setting nobody gave got, in variable form; computed defaults are absent. */
  readonly defaults: ReadonlyMap<string, string>;
  /** Settings whose value is a default of the command (e.g. demo's local addresses). */
  readonly commandDefaults: readonly string[];
}

/**
 * The configuration from an optional YAML file and the environment: command
 * defaults < file < environment. A variable set to an empty string counts as
 * unset and does not override the file (compose passes `${VAR:-}` as empty).
 * The merged values go through configFromEnv, the one validator; every problem,
 * the file's and the validator's, is thrown together in one ConfigError that
 * names the YAML key and its variable.
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const { env } = options;
  const origin = options.file !== undefined ? '--config' : CONFIG_FILE_ENV;
  const file = options.file ?? nonEmpty(env[CONFIG_FILE_ENV]);
  const merged: Record<string, string | undefined> = { ...options.defaults };
  const fileProblems: ConfigProblem[] = [];
  let fileFailed: ReadonlySet<string> = new Set();
  const fromFile = new Set<string>();
  let resolved: string | undefined;

  if (file !== undefined) {
    resolved = path.resolve(file);
    let text: string;
    try {
      text = readFileSync(resolved, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError([{ key: origin, message: `cannot read the configuration file "${file}" (${code})` }]);
    }
    const read = readConfigFile(text, file, env);
    fileProblems.push(...read.problems);
    fileFailed = read.failed;
    for (const s of read.settings) {
      merged[s.key.env] = s.value;
      fromFile.add(s.key.env);
    }
  }

  const known = new Set<string>([...ENV_VARS, ...FILE_KEYS.map((k) => k.env)]);
  const fromEnvironment: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const set = nonEmpty(value) !== undefined;
    if (set || !(name in merged)) merged[name] = value;
    if (set && known.has(name) && name !== CONFIG_FILE_ENV) fromEnvironment.push(name);
  }

  const overridden = fromEnvironment.filter((n) => fromFile.has(n));
  const sources: ConfigSources = {
    ...(resolved !== undefined ? { file: resolved } : {}),
    fromFile: [...fromFile].filter((n) => !overridden.includes(n)).sort(),
    fromEnvironment: fromEnvironment.sort(),
    overridden: overridden.sort(),
  };

  let config: Config | undefined;
  let defaults: ReadonlyMap<string, string> = new Map();
  let invalid: readonly ConfigProblem[] = [];
  try {
    ({ config, defaults } = readConfig(merged));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // A key whose YAML value was refused is reported once, by the file reader.
    const fresh = err.problems.filter((p) => !fileFailed.has(p.key));
    invalid = resolved === undefined ? fresh : fresh.map((p) => renamed(p, fromEnvironment));
  }
  if (fileProblems.length > 0 || config === undefined) throw new ConfigError([...fileProblems, ...invalid]);
  const values: Record<string, string> = {};
  for (const name of known) {
    const value = nonEmpty(merged[name]);
    if (value !== undefined && name !== CONFIG_FILE_ENV) values[name] = value;
  }
  const commandDefaults = Object.keys(options.defaults ?? {}).filter((n) => !fromFile.has(n) && !fromEnvironment.includes(n));
  return { config, sources, values, defaults, commandDefaults };
}

/** With a file in play, a problem names the YAML key, unless the environment supplied the value. */
function renamed(problem: ConfigProblem, fromEnvironment: readonly string[]): ConfigProblem {
  const key = KEY_BY_ENV.get(problem.key);
  if (!key) return problem;
  if (fromEnvironment.includes(problem.key)) return { ...problem, key: `${problem.key} (environment variable, overrides ${key.path})` };
  return { ...problem, key: `${key.path} (${key.env})` };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
