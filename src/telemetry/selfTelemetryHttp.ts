import { SpanKind, SpanStatusCode, type Attributes, type Span, type Tracer } from '@opentelemetry/api';

/** What an HTTP client's `request` takes, as far as a span needs (the Genesys SDK's HttpRequestOptions). */
export interface HttpRequestLike {
  readonly url: string;
  readonly method: string;
}

/** An HTTP client whose `request` resolves with `{status}` and rejects with `{response?: {status}, code?}` (axios). */
export interface HttpClientLike {
  request(options: HttpRequestLike): Promise<unknown>;
}

// Path segments that are identifiers (UUIDs, long hex or digit runs) become {id}: span names stay few.
const ID_SEGMENT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|\d{4,})$/i;

/**
 * Wraps `client.request` so every HTTP request, token requests and retries
 * included, becomes a CLIENT span `<system> <METHOD> <path template>`, e.g.
 * `genesys GET /api/v2/users`, with the HTTP semantic-convention attributes
 * (method, server address and port, `url.template`, response status,
 * `error.type`) and the Genesys correlation id. Query strings, headers and
 * bodies are never recorded: they carry user ids and credentials.
 */
export function traceHttpClient(client: HttpClientLike, tracer: Tracer, system: string): void {
  const send = client.request.bind(client);
  client.request = (options) => {
    const target = describe(options);
    return tracer.startActiveSpan(`${system} ${target.method} ${target.template}`, { kind: SpanKind.CLIENT, attributes: target.attributes }, (span) => {
      let pending: Promise<unknown>;
      try {
        pending = send(options);
      } catch (err) {
        finish(span, undefined, err);
        throw err;
      }
      return pending.then(
        (response) => {
          finish(span, response, undefined);
          return response;
        },
        (err: unknown) => {
          finish(span, (err as { response?: unknown })?.response, err);
          throw err;
        },
      );
    });
  };
}

function describe(options: HttpRequestLike): { method: string; template: string; attributes: Attributes } {
  const method = String(options.method ?? 'GET').toUpperCase();
  let url: URL | undefined;
  try {
    url = new URL(options.url);
  } catch {
    url = undefined;
  }
  const template = url ? url.pathname.split('/').map((s) => (ID_SEGMENT.test(s) ? '{id}' : s)).join('/') : '(unparsable url)';
  const attributes: Attributes = { 'http.request.method': method, 'url.template': template };
  if (url) {
    attributes['server.address'] = url.hostname;
    attributes['server.port'] = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  }
  return { method, template, attributes };
}

function finish(span: Span, response: unknown, err: unknown): void {
  const r = response as { status?: unknown; headers?: Record<string, unknown> } | undefined;
  const status = typeof r?.status === 'number' ? r.status : undefined;
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  const correlation = r?.headers?.['inin-correlation-id'];
  if (typeof correlation === 'string') span.setAttribute('genesys.correlation_id', correlation);
  if (status !== undefined && status >= 400) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  } else if (err !== undefined && status === undefined) {
    // No response: refused, reset, DNS, timeout. The code is axios's (ECONNREFUSED, ECONNABORTED...).
    const code = (err as { code?: unknown })?.code;
    span.setAttribute('error.type', typeof code === 'string' ? code : 'network');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'no response' });
  }
  span.end();
}
