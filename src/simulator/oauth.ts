import { createHash, timingSafeEqual } from 'node:crypto';
import type { Reply } from './http-io';
import type { AccessTokens } from './access-tokens';

/** Path of the client-credentials token endpoint; the SDK posts here under a gateway too. */
export const TOKEN_PATH = '/oauth/token';

/**
 * `POST /oauth/token` with `grant_type=client_credentials`. The client
 * authenticates with HTTP Basic (what the SDK sends) or `client_id` and
 * `client_secret` form fields. Errors use the OAuth shape
 * `{error, description, error_description}` and never repeat what was sent.
 */
export function createTokenEndpoint(options: { clientId: string; clientSecret: string; tokens: AccessTokens }) {
  return (authorization: string | undefined, bodyText: string): Reply => {
    const form = new URLSearchParams(bodyText);
    const grantType = form.get('grant_type');
    if (grantType === null) return oauthError(400, 'invalid_request', 'grant_type is required');
    if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported');
    const credentials = basicCredentials(authorization) ?? {
      id: form.get('client_id') ?? '',
      secret: form.get('client_secret') ?? '',
    };
    if (!(sameText(credentials.id, options.clientId) && sameText(credentials.secret, options.clientSecret))) {
      return oauthError(401, 'invalid_client', 'client authentication failed');
    }
    const issued = options.tokens.issue(credentials.id);
    return { status: 200, body: { access_token: issued.accessToken, token_type: 'bearer', expires_in: issued.expiresIn } };
  };
}

function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Constant-time comparison, so response timing does not reveal how much of a secret matched. */
function sameText(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, description, error_description: description } };
}
