import { stringify } from 'yaml';
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

/** The effective configuration, secrets redacted: YAML with the sources as comments, or JSON. */
export function renderConfig(loaded: LoadedConfig, format: 'yaml' | 'json'): string {
  const printable = redactSecrets(loaded.config);
  if (format === 'json') return `${JSON.stringify(printable, null, 2)}\n`;
  return `${sourceComments(loaded.sources)}${stringify(printable, { lineWidth: 0 })}`;
}

function sourceComments(sources: ConfigSources): string {
  const lines = [
    '# Effective configuration of genesys-otel-enricher (secrets redacted; sizes in bytes, durations in ms).',
    `# file: ${sources.file ?? '(none)'}`,
    `# from the file: ${sources.fromFile.join(', ') || '(nothing)'}`,
    `# from the environment: ${sources.fromEnvironment.join(', ') || '(nothing)'}`,
  ];
  if (sources.overridden.length > 0) lines.push(`# the environment overrode the file for: ${sources.overridden.join(', ')}`);
  lines.push('# everything else: defaults');
  return `${lines.join('\n')}\n`;
}
