import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long a browser may cache a preflight answer, s (Chromium caps it at 7200). */
export const CORS_MAX_AGE_SECONDS = 7200;

// Request headers a browser exporter may send besides the CORS-safelisted ones.
const ALLOWED_HEADERS = new Set(['content-type', 'content-encoding', 'authorization']);
const isAllowedHeader = (name: string): boolean => ALLOWED_HEADERS.has(name) || name.startsWith('x-');

/**
 * Cross-origin access for browser OTLP exporters. An origin is allowed when the
 * list holds it exactly (`scheme://host[:port]`) or holds `*`. An empty list
 * allows no cross-origin request: browsers then block them, other clients are
 * unaffected.
 */
export class CorsPolicy {
  private readonly any: boolean;
  private readonly origins: ReadonlySet<string>;

  /** Throws if an entry is neither `*` nor an http(s) origin. */
  constructor(allowedOrigins: readonly string[]) {
    const bad = allowedOrigins.filter((o) => o !== '*' && normalizeOrigin(o) === undefined);
    if (bad.length > 0) throw new Error(`CorsPolicy: not origins (scheme://host[:port]): ${bad.map((o) => JSON.stringify(o)).join(', ')}`);
    this.any = allowedOrigins.includes('*');
    this.origins = new Set(allowedOrigins.map((o) => normalizeOrigin(o) ?? o));
  }

  /** Adds the CORS headers of an actual (non-preflight) response. */
  decorate(req: IncomingMessage, res: ServerResponse): void {
    const origin = this.allowedOrigin(req);
    if (origin === undefined) return;
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    // Browsers hide non-safelisted response headers; the exporter needs this one to back off.
    res.setHeader('access-control-expose-headers', 'Retry-After');
  }

  /** Answers an OPTIONS request: a CORS preflight when the origin is allowed, else just `Allow`. */
  preflight(req: IncomingMessage, res: ServerResponse): void {
    const origin = this.allowedOrigin(req);
    res.setHeader('allow', 'POST, OPTIONS');
    if (origin !== undefined && req.headers['access-control-request-method'] !== undefined) {
      const requested = (req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase());
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-methods', 'POST');
      res.setHeader('access-control-allow-headers', requested.filter((h) => h !== '' && isAllowedHeader(h)).join(', '));
      res.setHeader('access-control-max-age', String(CORS_MAX_AGE_SECONDS));
    }
    res.setHeader('vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    res.writeHead(204).end();
  }

  private allowedOrigin(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    if (origin === undefined) return undefined;
    return this.any || this.origins.has(origin) ? origin : undefined;
  }
}

/** `scheme://host[:port]` as browsers serialise it (lowercase, default port dropped), or undefined. */
export function normalizeOrigin(entry: string): string | undefined {
  try {
    const url = new URL(entry);
    const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
    return (url.protocol === 'http:' || url.protocol === 'https:') && bare ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
