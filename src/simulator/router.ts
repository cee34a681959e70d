/** HTTP methods the simulator routes. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route: a method, a path pattern with `{param}` segments, and what handles it. */
export interface Route<H> {
  readonly method: HttpMethod;
  /** E.g. `/api/v2/users/{id}`; also the key the stats use. */
  readonly pattern: string;
  readonly handler: H;
}

/** A matched route with its decoded path parameters. */
export interface RouteMatch<H> {
  readonly route: Route<H>;
  readonly params: Readonly<Record<string, string>>;
}

interface CompiledRoute<H> {
  readonly route: Route<H>;
  readonly segments: readonly string[];
}

/**
 * Matches request paths against route patterns. Where two patterns fit one
 * path, the one with a literal segment earlier wins, so `/api/v2/users/query`
 * beats `/api/v2/users/{id}` whatever the registration order.
 */
export class Router<H> {
  private readonly routes: CompiledRoute<H>[];

  constructor(routes: readonly Route<H>[]) {
    this.routes = routes
      .map((route) => ({ route, segments: split(route.pattern) }))
      .sort((a, b) => compareSpecificity(a.segments, b.segments));
  }

  /** The route for this method and path, or undefined. A malformed %-escape never matches. */
  match(method: string, path: string): RouteMatch<H> | undefined {
    const segments = split(path);
    for (const compiled of this.routes) {
      if (compiled.route.method !== method) continue;
      const params = matchSegments(compiled.segments, segments);
      if (params) return { route: compiled.route, params };
    }
    return undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function isParam(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

/**
 * A total order in which, for any two patterns that can match the same path,
 * the one with a literal where the other has a parameter comes first.
 */
function compareSpecificity(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const kind = Number(isParam(a[i])) - Number(isParam(b[i]));
    if (kind !== 0) return kind;
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

function matchSegments(pattern: readonly string[], path: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (isParam(pattern[i])) {
      const value = safeDecode(path[i]);
      if (value === undefined) return undefined;
      params[pattern[i].slice(1, -1)] = value;
    } else if (pattern[i] !== path[i]) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
