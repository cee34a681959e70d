import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who made an admin request, as far as the audit log may say: the token's
 * fingerprint when it was right, `anonymous` without credentials, `invalid`
 * with wrong ones. Never the token itself.
 */
export type Caller =
  | { readonly authenticated: true; readonly who: string }
  | { readonly authenticated: false; readonly who: 'anonymous' | 'invalid' };

export interface BearerAuthOptions {
  /** The expected token (ENRICHER_ADMIN_TOKEN). */
  token: string;
  /** The comparison; crypto.timingSafeEqual by default (tests observe it). */
  compare?: (a: Buffer, b: Buffer) => boolean;
}

/** First 12 hex digits of the token's SHA-256: enough to tell tokens apart in logs, useless to an attacker. */
export function tokenFingerprint(token: string): string {
  return sha256(token).toString('hex').slice(0, 12);
}

/**
 * Checks `Authorization: Bearer <token>` in constant time. Both sides are
 * hashed to SHA-256 first, so the comparison always runs over 32 bytes and
 * neither the content nor the length of the expected token leaks through timing.
 */
export class BearerAuth {
  private readonly expected: Buffer;
  private readonly fingerprint: string;
  private readonly compare: (a: Buffer, b: Buffer) => boolean;

  constructor(options: BearerAuthOptions) {
    if (!options.token) throw new Error('BearerAuth needs a non-empty token');
    this.expected = sha256(options.token);
    this.fingerprint = tokenFingerprint(options.token);
    this.compare = options.compare ?? timingSafeEqual;
  }

  /** The caller behind an Authorization header value (undefined: no header). */
  check(authorization: string | undefined): Caller {
    if (authorization === undefined || authorization === '') return { authenticated: false, who: 'anonymous' };
    const m = /^Bearer +(.+?) *$/i.exec(authorization);
    // Hash even a malformed header so every presented credential costs the same.
    const presented = sha256(m ? m[1] : authorization);
    const ok = this.compare(presented, this.expected) && m !== null;
    return ok ? { authenticated: true, who: this.fingerprint } : { authenticated: false, who: 'invalid' };
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
