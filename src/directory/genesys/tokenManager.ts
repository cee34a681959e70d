import type { Logger } from '../../telemetry/logger';
import { toGenesysError } from './errors';
import type { SdkClient } from './sdk';

/** The operation name token failures carry. */
export const TOKEN_OPERATION = 'oauth.token';

export interface TokenManagerOptions {
  readonly sdk: SdkClient;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Minimum time before expiry at which renewal starts, milliseconds (see {@link renewalLeadMs}). */
  readonly renewMarginMs: number;
  readonly now: () => number;
  readonly logger: Logger;
  /** Told about every token request: its HTTP status, or 'network'/'timeout'/... when none. */
  readonly onRequest: (outcome: string) => void;
}

/**
 * How long before expiry a token is renewed: 10% of its lifetime or
 * `marginMs`, whichever is larger, but never more than half the lifetime (so
 * a short-lived token is not renewed on every call).
 */
export function renewalLeadMs(lifetimeMs: number, marginMs: number): number {
  return Math.min(Math.max(lifetimeMs * 0.1, marginMs), lifetimeMs / 2);
}

interface Token {
  /** Increments per acquired token; lets a 401 tell whether someone already renewed. */
  readonly generation: number;
  readonly expiresAt: number;
  readonly renewAt: number;
  readonly accessToken: string;
}

/**
 * Client-credentials token for one SDK client. The SDK does not renew such
 * tokens (a 401 is just rejected), so this does: before expiry, and once after
 * a 401. Concurrent renewals share one token request.
 */
export class TokenManager {
  readonly #o: TokenManagerOptions;
  #token: Token | undefined;
  #renewal: Promise<Token> | undefined;
  #generation = 0;

  constructor(options: TokenManagerOptions) {
    this.#o = options;
  }

  /**
   * Generation of a token usable now, acquiring or renewing first if needed.
   * Inside the renewal window a failed renewal falls back to the current,
   * still valid token. Rejects with a GenesysError (operation `oauth.token`).
   */
  async ensure(): Promise<number> {
    const token = this.#token;
    const now = this.#o.now();
    if (token && now < token.renewAt) return token.generation;
    if (token && now < token.expiresAt) {
      try {
        return (await this.#renew()).generation;
      } catch (err) {
        this.#o.logger.warn({ code: (err as { code?: string }).code }, 'genesys token renewal failed; using the current token');
        return token.generation;
      }
    }
    return (await this.#renew()).generation;
  }

  /** Forgets the token a request got 401 with, unless it was already replaced. */
  invalidate(generation: number): void {
    if (this.#token?.generation === generation) this.#token = undefined;
  }

  /** Literal values that must never appear in messages. */
  secrets(): string[] {
    const basic = Buffer.from(`${this.#o.clientId}:${this.#o.clientSecret}`).toString('base64');
    const list = [this.#o.clientSecret, basic];
    if (this.#token) list.push(this.#token.accessToken);
    return list;
  }

  #renew(): Promise<Token> {
    this.#renewal ??= this.#login().finally(() => {
      this.#renewal = undefined;
    });
    return this.#renewal;
  }

  async #login(): Promise<Token> {
    let authData: { accessToken: string; tokenExpiryTime: number };
    try {
      authData = await this.#o.sdk.loginClientCredentialsGrant(this.#o.clientId, this.#o.clientSecret);
      this.#o.onRequest('200');
    } catch (raw) {
      const err = toGenesysError(raw, TOKEN_OPERATION, this.secrets());
      this.#o.onRequest(err.status ? String(err.status) : err.code);
      throw err;
    }
    // The SDK stamps expiry with Date.now(); convert it to a lifetime on our clock.
    // A missing expires_in makes this NaN: treat the token as good for this call only.
    const reported = authData.tokenExpiryTime - Date.now();
    const lifetimeMs = Number.isFinite(reported) ? Math.max(0, reported) : 0;
    const now = this.#o.now();
    const token: Token = {
      generation: ++this.#generation,
      expiresAt: now + lifetimeMs,
      renewAt: now + lifetimeMs - renewalLeadMs(lifetimeMs, this.#o.renewMarginMs),
      accessToken: authData.accessToken,
    };
    this.#token = token;
    this.#o.logger.debug({ lifetimeMs, generation: token.generation }, 'genesys token acquired');
    return token;
  }
}
