import { stringify } from 'yaml';
import { FILE_KEYS, type FileKey } from './fileKeys';
import type { ConfigSources, LoadedConfig } from './load';

/** What a secret is printed as (the logger's censor too). */
export const REDACTED = '[REDACTED]';

/**
 * Field names whose values are credentials: client secret, admin and bearer
 * tokens, export and self-telemetry headers, passwords, keys, the Redis URL
 * (it holds the password). Matched on every
 * level of the Config, so fields added later are covered by their name.
 */
const SECRET_FIELD = /secret|token|password|passwd|authorization|headers|credential|api_?key|private_?key|bearer|redis_?url/i;

/**
 * A deep copy of `value` with every secret field replaced by {@link REDACTED}.
 * A secret mapping (headers) keeps its names, so an operator sees which are set.
 * Unset secrets stay absent.
 */
export function redactSecrets(value: unknown, secret = false): unknown {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, secret));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) {
      if (v !== undefined) out[name] = redactSecrets(v, secret || SECRET_FIELD.test(name));
    }
    return out;
  }
  return secret && value !== undefined ? REDACTED : value;
}

/** One setting as printed: its value in the file's form, and where it came from. */
interface PrintedSetting {
  readonly key: FileKey;
  /** Absent: not set, and no default the validator could name. */
  readonly value?: unknown;
  readonly source: string;
}

/**
 * The effective configuration in the configuration file's own layout and
 * units (the keys and values `--config` accepts), each value's source as a
 * comment in YAML. Saved to a file and passed back with `--config`, it gives
 * the same Config. Secrets are printed as `${env:VARIABLE}` references, never
 * as values, so the printed file still works where the variable is set.
 */
export function renderConfig(loaded: LoadedConfig, format: 'yaml' | 'json'): string {
  const settings = FILE_KEYS.map((key) => printedSetting(loaded, key));
  if (format === 'json') return `${JSON.stringify(nested(settings), null, 2)}\n`;
  return `${header(loaded.sources)}${yamlLines(settings).join('\n')}\n`;
}

function printedSetting(loaded: LoadedConfig, key: FileKey): PrintedSetting {
  const given = loaded.values[key.env];
  const { sources } = loaded;
  if (given === undefined) {
    const def = loaded.defaults.get(key.env);
    return def === undefined ? { key, source: 'not set' } : { key, value: fileValue(key, def), source: 'default' };
  }
  const source = sources.overridden.includes(key.env)
    ? `environment ${key.env} (overrides the file)`
    : sources.fromEnvironment.includes(key.env)
      ? `environment ${key.env}`
      : sources.fromFile.includes(key.env)
        ? 'file'
        : `default of this command`;
  if (key.secret) return { key, value: `\${env:${key.env}}`, source: `${source}; secret, not printed: read from ${key.env}` };
  return { key, value: fileValue(key, given), source };
}

/** A variable-form value as the file writes it: numbers, booleans, mappings and lists where the key takes them. */
function fileValue(key: FileKey, raw: string): unknown {
  switch (key.kind) {
    case 'integer':
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'switch': {
      const v = raw.toLowerCase();
      return v === 'on' || v === 'true' ? true : v === 'off' || v === 'false' ? false : raw;
    }
    case 'list':
      return raw.split(',').map((e) => e.trim()).filter((e) => e !== '');
    case 'map':
      return mapOf(raw) ?? raw;
    case 'string':
      return raw;
  }
}

/** `name=value,...` with percent-encoded values, as a mapping; undefined when it is not of that form. */
function mapOf(raw: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const entry of raw.split(',')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) return undefined;
    try {
      out[entry.slice(0, eq).trim()] = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return out;
}

function nested(settings: readonly PrintedSetting[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { key, value } of settings) {
    const parts = key.path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value ?? null;
  }
  return root;
}

const COMMENT_COLUMN = 52;

/** Sections opened as the paths go, each value on one line with its source as a comment. */
function yamlLines(settings: readonly PrintedSetting[]): string[] {
  const lines: string[] = [];
  let open: string[] = [];
  for (const { key, value, source } of settings) {
    const parts = key.path.split('.');
    const sections = parts.slice(0, -1);
    let common = 0;
    while (common < open.length && common < sections.length && open[common] === sections[common]) common++;
    if (sections.length === 0 && open.length > 0 && lines.at(-1) !== '') lines.push('');
    for (let i = common; i < sections.length; i++) {
      if (i === 0 && lines.length > 0) lines.push('');
      lines.push(`${'  '.repeat(i)}${sections[i]}:`);
    }
    open = sections;
    const text = `${'  '.repeat(sections.length)}${parts.at(-1)}:${value === undefined ? '' : ` ${inline(value)}`}`;
    lines.push(`${text.padEnd(COMMENT_COLUMN - 1)} # ${source}`);
  }
  return lines;
}

/** A value on one line: plain or quoted scalars, flow mappings and sequences. */
function inline(value: unknown): string {
  const text = stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
  return text.includes('\n') ? JSON.stringify(value) : text;
}

function header(sources: ConfigSources): string {
  const lines = [
    '# Effective configuration of genesys-otel-enricher, in the layout and units of its configuration file:',
    '# save it and pass it back with --config for the same service. Each value says where it came from.',
    '# Secrets are never printed: they appear as ${env:VARIABLE} references. An empty value means not set.',
    `# file: ${sources.file ?? '(none)'}`,
    `# from the file: ${sources.fromFile.join(', ') || '(nothing)'}`,
    `# from the environment: ${sources.fromEnvironment.join(', ') || '(nothing)'}`,
  ];
  if (sources.overridden.length > 0) lines.push(`# the environment overrode the file for: ${sources.overridden.join(', ')}`);
  return `${lines.join('\n')}\n\n`;
}
