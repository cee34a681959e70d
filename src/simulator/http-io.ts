import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';

/** Largest request body the simulator reads, bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What a handler answers: a status, an optional JSON body, optional extra headers. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Reads the whole request body as text; rejects with 413 past MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError('request.entity.too.large', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON request body; an empty body is `undefined`, a malformed one a 400. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('bad.request', 'Unable to parse the request body as JSON.');
  }
}

/** Writes a reply as JSON (no body for 204 or an undefined body), stamped with the correlation id. */
export function sendReply(res: ServerResponse, reply: Reply, correlationId: string): void {
  const headers: Record<string, string> = { 'ININ-Correlation-Id': correlationId, ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['Content-Type'] = 'application/json; charset=UTF-8';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers).end(text);
}

/** The Genesys error body for an ApiError; `contextId` equals the ININ-Correlation-Id header. */
export function errorReply(error: ApiError, correlationId: string): Reply {
  return {
    status: error.status,
    headers: error.headers,
    body: {
      message: error.message,
      code: error.code,
      status: error.status,
      messageParams: {},
      contextId: correlationId,
      details: [],
      errors: [],
    },
  };
}
