/**
 * The one error type the Genesys client throws, and the one function that turns
 * whatever the SDK rejected with into it.
 *
 * Retry decisions (docs: shared genesys-api.md, "Errors and rate limits"):
 *
 * | what came back                       | code                          | retryable |
 * |--------------------------------------|-------------------------------|-----------|
 * | 429                                  | too.many.requests.retry.after | yes, after Retry-After |
 * | 502, 503, 504                        | Genesys code or status        | yes, jittered backoff  |
 * | no response: refused, reset, DNS...  | network                       | yes       |
 * | no response within requestTimeoutMs  | timeout                       | yes       |
 * | 401                                  | bad.credentials / ...expired  | no (the client renews the token once itself) |
 * | 409                                  | Genesys code                  | no: re-read `version`, then retry |
 * | any other status                     | Genesys code or status        | no        |
 * | retries ran out of time              | budget_exhausted              | yes, later |
 * | caller aborted, client closed        | aborted, closed               | no        |
 * | SDK refused the call (missing arg)   | client_error                  | no        |
 *
 * Secrets: the SDK's failures can embed the raw AxiosError, whose
 * `config.headers.Authorization` holds the bearer token (or, for /oauth/token,
 * base64 of clientId:clientSecret). Nothing from such objects is kept except
 * status, headers we read by name, Genesys' code/message and the correlation
 * id; messages are scrubbed of credentials before use.
 */

/** Codes this client produces itself when Genesys gave none. */
export type LocalErrorCode = 'network' | 'timeout' | 'budget_exhausted' | 'aborted' | 'closed' | 'client_error' | 'unknown';

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const MAX_MESSAGE_CHARS = 300;

export interface GenesysErrorInit {
  /** HTTP status; 0 when no response was received. */
  readonly status: number;
  /** Genesys' error code (e.g. `bad.credentials`) or a {@link LocalErrorCode}. */
  readonly code: string;
  readonly retryable: boolean;
  /** The client operation that failed, e.g. `getUsers`. */
  readonly operation: string;
  /** `ININ-Correlation-Id` (or the body's `contextId`), for Genesys support. */
  readonly correlationId?: string;
  /** Server's Retry-After, milliseconds, when it sent one. */
  readonly retryAfterMs?: number;
  /** Human detail; must already be free of secrets. */
  readonly detail?: string;
}

/** A failed Genesys call. Carries its retry decision; never carries credentials. */
export class GenesysError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryable: boolean;
  readonly operation: string;
  readonly correlationId?: string;
  readonly retryAfterMs?: number;

  constructor(init: GenesysErrorInit) {
    const head = `${init.operation}: ${init.status ? `${init.status} ` : ''}${init.code}`;
    super(init.detail ? `${head}: ${init.detail}` : head);
    this.name = 'GenesysError';
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable;
    this.operation = init.operation;
    if (init.correlationId !== undefined) this.correlationId = init.correlationId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

interface ResponseLike {
  readonly status: number;
  readonly headers: unknown;
  readonly body: unknown;
}

/**
 * Normalises anything the SDK (or axios under it) rejected or threw with:
 * an extended response `{status, headers, body, error}`, a parsed Genesys error
 * body, a string (a synchronous "Missing the required parameter" or a text
 * body), `undefined` (empty body), a raw AxiosError, or any Error.
 * `secrets` are literal values scrubbed from any text that is kept.
 */
export function toGenesysError(raw: unknown, operation: string, secrets: readonly string[] = []): GenesysError {
  if (raw instanceof GenesysError) return raw;
  const scrub = (text: string): string => scrubSecrets(text, secrets);
  const response = responseOf(raw);
  if (response) return fromResponse(response, operation, scrub);
  if (isAxiosError(raw)) {
    const code = typeof raw.code === 'string' ? raw.code : 'ERR';
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
    return new GenesysError({
      status: 0,
      code: timedOut ? 'timeout' : 'network',
      retryable: true,
      operation,
      detail: timedOut ? 'no response within the request timeout' : `no response (${scrub(code)})`,
    });
  }
  if (typeof raw === 'string') {
    return new GenesysError({ status: 0, code: 'client_error', retryable: false, operation, detail: scrub(raw) });
  }
  if (raw instanceof Error) {
    return new GenesysError({ status: 0, code: 'client_error', retryable: false, operation, detail: scrub(raw.message) });
  }
  return new GenesysError({ status: 0, code: 'unknown', retryable: false, operation, detail: 'the SDK rejected without detail' });
}

function fromResponse(response: ResponseLike, operation: string, scrub: (s: string) => string): GenesysError {
  const body = isObject(response.body) ? response.body : {};
  // API errors say {code, message}; /oauth/token says {error, error_description} (RFC 6749).
  const code = stringOrUndefined(body.code) ?? stringOrUndefined(body.error) ?? `http_${response.status}`;
  const message =
    stringOrUndefined(body.message) ??
    stringOrUndefined(body.error_description) ??
    stringOrUndefined(body.description) ??
    (typeof response.body === 'string' ? response.body : '');
  const correlationId = header(response.headers, 'inin-correlation-id') ?? stringOrUndefined(body.contextId);
  const retryAfterMs = parseRetryAfter(header(response.headers, 'retry-after'));
  return new GenesysError({
    status: response.status,
    code,
    retryable: RETRYABLE_STATUS.has(response.status),
    operation,
    correlationId,
    retryAfterMs,
    detail: message ? scrub(message) : undefined,
  });
}

// AxiosError also has a numeric `status` in axios 1.x, so it is recognised first.
function responseOf(raw: unknown): ResponseLike | undefined {
  if (!isObject(raw)) return undefined;
  if (isAxiosError(raw)) {
    const r = raw.response;
    return isObject(r) && typeof r.status === 'number' ? { status: r.status, headers: r.headers, body: r.data } : undefined;
  }
  if (typeof raw.status !== 'number') return undefined;
  // Extended response: {status, statusText, headers, body, text, error}.
  if ('headers' in raw && 'body' in raw) return { status: raw.status, headers: raw.headers, body: raw.body };
  // A parsed Genesys error body: {message, code, status, contextId, ...}.
  if (typeof raw.code === 'string' || typeof raw.message === 'string') return { status: raw.status, headers: {}, body: raw };
  return undefined;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Removes Authorization-style credentials and the given literal secrets; caps the length. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [REDACTED]');
  for (const secret of secrets) {
    // Even a short secret is scrubbed: an unreadable message beats a leaked secret.
    if (secret) out = out.split(secret).join('[REDACTED]');
  }
  return out.length > MAX_MESSAGE_CHARS ? `${out.slice(0, MAX_MESSAGE_CHARS)}…` : out;
}

function header(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  const value = headers[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function isAxiosError(raw: unknown): raw is Record<string, unknown> & { isAxiosError: true } {
  return isObject(raw) && raw.isAxiosError === true;
}

function isObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
