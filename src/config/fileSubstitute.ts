/**
 * Environment references inside YAML string values, as the OpenTelemetry
 * Collector writes them:
 *
 * - `${env:NAME}` and its short form `${NAME}`: the variable's value;
 * - `${env:NAME:-default}`: the default when the variable is unset or empty;
 * - `$$`: a literal `$`.
 *
 * A variable that is unset, without a default, is an error naming it (the
 * Collector would substitute an empty string and warn; a missing secret
 * should stop the start instead). Other providers (`${file:...}`) are
 * refused. Substituted text is not scanned again, so a value can never
 * smuggle in another reference.
 */

export type Substitution = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problems: readonly string[] };

const REFERENCE = /\$\$|\$\{([^}]*)\}/g;
const INNER = /^(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** Replaces every reference in `text`; problems name the variables, never values. */
export function substituteEnv(text: string, env: Readonly<Record<string, string | undefined>>): Substitution {
  if (!text.includes('$')) return { ok: true, value: text };
  const problems: string[] = [];
  const value = text.replace(REFERENCE, (whole, inner: string | undefined) => {
    if (whole === '$$') return '$';
    const provider = /^([A-Za-z][A-Za-z0-9+.-]*):(?!-)/.exec(inner ?? '')?.[1];
    if (provider !== undefined && provider !== 'env') {
      problems.push(`"\${${provider}:...}" uses the "${provider}" provider; only env is supported`);
      return '';
    }
    const m = INNER.exec(inner ?? '');
    if (!m) {
      // The text inside is not echoed: it may be part of a secret.
      problems.push('holds a ${...} that is not a reference this file understands; write ${env:NAME} or ${env:NAME:-default} (and $$ for a literal $)');
      return '';
    }
    const [, name, fallback] = m;
    const set = env[name!];
    if (set !== undefined && set !== '') return set;
    if (fallback !== undefined) return fallback;
    problems.push(`\${env:${name}} is not set and has no default (write \${env:${name}:-default} to make it optional)`);
    return '';
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
