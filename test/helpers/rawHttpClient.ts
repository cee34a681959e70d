/**
 * A bare node:http(s) client for OTLP/HTTP requests the OpenTelemetry SDK will
 * not send (garbage, wrong methods, oversized or hand-compressed bodies, CORS
 * preflights) and to read a refusal's status, headers and body.
 */
import http from 'node:http';
import https from 'node:https';
import protobuf from 'protobufjs';

export interface RawHttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RawHttpRequest {
  /** Default POST. */
  readonly method?: string;
  readonly headers?: Record<string, string | number>;
  readonly body?: Buffer | string;
  /** For https:// URLs: the CA to trust, and a client certificate for mTLS. */
  readonly tls?: { readonly ca?: Buffer; readonly cert?: Buffer; readonly key?: Buffer };
}

/** One request on a fresh connection; resolves with the whole response, rejects on a transport error. */
export function rawHttp(url: string, request: RawHttpRequest = {}): Promise<RawHttpResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: request.method ?? 'POST', headers: request.headers, agent: false, ...request.tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

const StatusType = protobuf.Root.fromJSON({
  nested: { Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } } },
}).lookupType('Status');

/** A `google.rpc.Status` response body, protobuf or JSON by its Content-Type. */
export function decodeStatus(res: RawHttpResponse): { code?: number; message?: string } {
  if (res.headers['content-type'] === 'application/json') return JSON.parse(res.body.toString('utf8'));
  return StatusType.toObject(StatusType.decode(res.body)) as { code?: number; message?: string };
}
