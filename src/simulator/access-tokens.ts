import { randomBytes } from 'node:crypto';
import { apiErrors, type ApiError } from './api-error';

/** Most tokens remembered; past it the oldest are forgotten (and then answer bad.credentials). */
export const MAX_REMEMBERED_TOKENS = 10_000;

/** An issued client-credentials token. */
interface IssuedToken {
  readonly clientId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * The access tokens the simulator has issued. Unknown tokens are
 * `bad.credentials`; known but expired ones `credentials.expired`, as Genesys
 * tells the two apart.
 */
export class AccessTokens {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly options: { lifetimeSeconds: number; now: () => number }) {}

  /** A fresh opaque token for the client, valid for the configured lifetime. */
  issue(clientId: string): { accessToken: string; expiresIn: number } {
    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(accessToken, { clientId, expiresAt: this.options.now() + this.options.lifetimeSeconds * 1000 });
    // A long-running simulator must not grow without bound; Map order is issue order.
    if (this.tokens.size > MAX_REMEMBERED_TOKENS) this.tokens.delete(this.tokens.keys().next().value as string);
    return { accessToken, expiresIn: this.options.lifetimeSeconds };
  }

  /** The token of a `Bearer` Authorization header if it is valid now, else the 401 to answer. */
  verify(authorization: string | undefined): { token: string } | { error: ApiError } {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const issued = match ? this.tokens.get(match[1]) : undefined;
    if (!match || !issued) return { error: apiErrors.badCredentials() };
    if (issued.expiresAt <= this.options.now()) return { error: apiErrors.credentialsExpired() };
    return { token: match[1] };
  }

  /** Makes every issued token expired now. */
  expireAll(): void {
    const now = this.options.now();
    for (const issued of this.tokens.values()) issued.expiresAt = Math.min(issued.expiresAt, now);
  }
}
