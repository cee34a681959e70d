import type { ServerResponse } from 'node:http';
import { CONTENT_TYPES, type OtlpEncoding, statusBody, successBody } from './encoding';

/** Answers 200 with an empty ExportTraceServiceResponse in the request's encoding. */
export function replySuccess(res: ServerResponse, encoding: OtlpEncoding): void {
  send(res, 200, encoding, successBody(encoding));
}

/** A failure answer: HTTP status, `google.rpc.Status` code and message, optional `Retry-After` seconds. */
export interface Failure {
  readonly status: number;
  readonly rpcCode: number;
  readonly message: string;
  readonly retryAfterSeconds?: number;
}

/** Answers a 4xx/5xx with a `google.rpc.Status` body in `encoding`. */
export function replyFailure(res: ServerResponse, encoding: OtlpEncoding, failure: Failure): void {
  if (failure.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(failure.retryAfterSeconds));
  send(res, failure.status, encoding, statusBody(encoding, failure.rpcCode, failure.message));
}

function send(res: ServerResponse, status: number, encoding: OtlpEncoding, body: Buffer): void {
  res.writeHead(status, { 'content-type': CONTENT_TYPES[encoding], 'content-length': body.length });
  res.end(body);
}
