import { createHash, timingSafeEqual } from 'node:crypto';

/** The header (HTTP) and metadata key (gRPC) carrying the credentials. */
export const AUTHORIZATION = 'authorization';

// RFC 6750: the scheme is case-insensitive, one or more spaces before the token.
const BEARER = /^bearer +(\S+) *$/i;

/**
 * Bearer-token authentication of incoming requests, like the Collector's
 * `bearertokenauth` extension: `authorization: Bearer <token>` must carry the
 * configured token. The token is never logged nor echoed in errors.
 */
export class BearerTokenAuth {
  private readonly expected: Buffer;

  /** Throws if `token` is empty or contains whitespace (it could never match a header). */
  constructor(token: string) {
    if (typeof token !== 'string' || token.length === 0 || /\s/.test(token)) {
      throw new Error('BearerTokenAuth: the token must be a non-empty string without whitespace');
    }
    this.expected = digest(token);
  }

  /** True when `authorization` (a header or metadata value) carries the token. */
  verify(authorization: string | undefined): boolean {
    const match = BEARER.exec(authorization ?? '');
    // Comparing fixed-length digests keeps the time independent of where the
    // strings differ and of the presented token's length.
    return timingSafeEqual(digest(match?.[1] ?? ''), this.expected) && match !== null;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
