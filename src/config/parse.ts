import type { ConfigProblem } from './errors';

/**
 * Typed readers over a string map that record problems instead of throwing,
 * so every bad key is reported at once. Values are never echoed for keys
 * marked secret.
 */
export class EnvReader {
  readonly problems: ConfigProblem[] = [];
  /**
   * The default each unset key was given, in the variable's own form and units
   * (`600` for ENRICHER_CACHE_TTL_SECONDS): what `config` prints for settings
   * nobody set. Keys whose default is computed (a share of another value) are absent.
   */
  readonly defaults = new Map<string, string>();
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** The trimmed value, or undefined when unset or empty. */
  string(key: string): string | undefined {
    const raw = this.env[key];
    if (raw === undefined) return undefined;
    const v = raw.trim();
    return v === '' ? undefined : v;
  }

  /** The trimmed value, or `def` when unset or empty. */
  stringOr(key: string, def: string): string {
    const v = this.string(key);
    if (v === undefined) this.noteDefault(key, def);
    return v ?? def;
  }

  /** Records the default an unset key gets, for readers that decide it themselves. */
  noteDefault(key: string, def: string): void {
    this.defaults.set(key, def);
  }

  /** An integer within [min, max], or the default when unset. */
  int(key: string, def: number, min: number, max: number): number {
    const v = this.string(key);
    if (v === undefined) {
      this.noteDefault(key, String(def));
      return def;
    }
    if (!/^-?\d+$/.test(v)) return this.fail(key, `must be a whole number, got "${v}"`, def);
    const n = Number(v);
    if (n < min || n > max) return this.fail(key, `must be between ${min} and ${max}, got ${n}`, def);
    return n;
  }

  /** host:port with port 0-65535; host may be a name, IPv4 or [IPv6]. */
  address(key: string, def: string): string {
    const v = this.stringOr(key, def);
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v);
    if (!m || Number(m[2]) > 65535) return this.fail(key, `must be host:port (e.g. 0.0.0.0:4317), got "${v}"`, def);
    return v;
  }

  /** An http:// or https:// URL with a host and no path beyond "/". */
  url(key: string, opts: { secret?: boolean } = {}): string | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      return this.fail(key, opts.secret ? 'is not a valid URL' : `is not a valid URL: "${v}"`, undefined);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return this.fail(key, opts.secret ? 'must start with http:// or https://' : `must start with http:// or https://, e.g. http://${v.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')}, got "${v}"`, undefined);
    if (u.pathname !== '/' && u.pathname !== '')
      return this.fail(key, `must not have a path, got "${u.pathname}"`, undefined);
    return `${u.protocol}//${u.host}`;
  }

  /** One of the given words. */
  oneOf<T extends string>(key: string, def: T, allowed: readonly T[]): T {
    const v = this.string(key);
    if (v === undefined) {
      this.noteDefault(key, def);
      return def;
    }
    if (!(allowed as readonly string[]).includes(v))
      return this.fail(key, `must be one of ${allowed.join(', ')}, got "${v}"`, def);
    return v as T;
  }

  fail<T>(key: string, message: string, fallback: T): T {
    this.problems.push({ key, message });
    return fallback;
  }
}
