import type { IncomingMessage, ServerResponse } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { type PipelineError, toPipelineError } from '../../errors';
import type { TracesConsumer } from '../../pipeline/consumer';
import type { Logger } from '../../telemetry/logger';
import type { BearerTokenAuth } from '../auth/index';
import type { RequestGuard, Slot } from '../limits/requestGuard';
import { BodyError, type IncomingMemory, readBody } from './body';
import { CorsPolicy } from './cors';
import { type OtlpEncoding, encodingOf } from './encoding';
import type { JsonConverter } from './json/converter';
import { type Failure, replyFailure, replySuccess } from './reply';
import { toHttpRefusal } from './status';

/** The OTLP/HTTP traces path (OTLP spec default). */
export const TRACES_PATH = '/v1/traces';

/** A node:http request listener. */
export type OtlpHttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Options of {@link createOtlpHttpHandler}; see `OtlpHttpReceiverOptions` for their meaning. */
export interface OtlpHttpHandlerOptions {
  readonly next: TracesConsumer;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly corsAllowedOrigins?: readonly string[];
  readonly auth?: BearerTokenAuth;
  /** Admission, concurrency cap and deadline, applied before the body is read. */
  readonly guard: RequestGuard;
  /** Converts OTLP/JSON bodies, off the event loop. */
  readonly json: JsonConverter;
  /** The body must arrive within this, ms; 0: no deadline. */
  readonly receiveTimeoutMs: number;
  /** Counts body bytes against the memory limit as they arrive. */
  readonly memory?: IncomingMemory;
}

const UNSUPPORTED_MEDIA: Failure = {
  status: 415,
  rpcCode: grpc.status.INVALID_ARGUMENT,
  message: 'Content-Type must be application/x-protobuf or application/json',
};
const UNAUTHENTICATED: Failure = { status: 401, rpcCode: grpc.status.UNAUTHENTICATED, message: 'missing or invalid bearer token' };

/**
 * The OTLP/HTTP application, built apart from `listen` so tests can drive it
 * without sockets: `POST /v1/traces` in protobuf or JSON, gzip or not, answered
 * by the OTLP status rules. Each request becomes one batch (protobuf bytes,
 * JSON converted first). It catches everything, so no input can crash the server.
 */
export function createOtlpHttpHandler(options: OtlpHttpHandlerOptions): OtlpHttpHandler {
  const cors = new CorsPolicy(options.corsAllowedOrigins ?? []);
  const log = options.logger;
  return (req, res) => {
    handle(options, cors, req, res).catch((err: unknown) => {
      log.error({ err }, 'OTLP/HTTP request failed unexpectedly');
      if (!res.headersSent) replyFailure(res, 'json', { status: 500, rpcCode: grpc.status.INTERNAL, message: 'internal error' });
      else res.destroy();
    });
  };
}

async function handle(options: OtlpHttpHandlerOptions, cors: CorsPolicy, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const declared = encodingOf(req.headers['content-type']);
  // Refusals use the request's encoding when it is one of ours, JSON otherwise.
  const replyIn: OtlpEncoding = declared ?? 'json';
  const path = (req.url ?? '/').split('?')[0];
  cors.decorate(req, res);
  if (path !== TRACES_PATH) {
    return replyFailure(res, replyIn, { status: 404, rpcCode: grpc.status.NOT_FOUND, message: `no route ${path}; OTLP traces go to ${TRACES_PATH}` });
  }
  if (req.method === 'OPTIONS') return cors.preflight(req, res);
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST, OPTIONS');
    return replyFailure(res, replyIn, { status: 405, rpcCode: grpc.status.UNIMPLEMENTED, message: `${req.method} is not allowed; use POST` });
  }
  if (options.auth && !options.auth.verify(req.headers.authorization)) {
    res.setHeader('www-authenticate', 'Bearer');
    return replyFailure(res, replyIn, UNAUTHENTICATED);
  }
  if (!declared) return replyFailure(res, replyIn, UNSUPPORTED_MEDIA);
  // Admitted (memory, concurrency cap) before a byte of the body is read.
  let slot: Slot;
  try {
    slot = options.guard.admit();
  } catch (err) {
    res.setHeader('connection', 'close'); // the unread body is not waited for
    return refuse(options, res, declared, toPipelineError(err));
  }
  const charged = { bytes: 0 };
  try {
    await receiveAndConsume(options, req, res, declared, slot, charged);
  } finally {
    slot.release();
    options.memory?.releaseIncoming(charged.bytes);
  }
}

async function receiveAndConsume(
  options: OtlpHttpHandlerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  encoding: OtlpEncoding,
  slot: Slot,
  charged: { bytes: number },
): Promise<void> {
  const read = { maxBytes: options.maxBodyBytes, timeoutMs: options.receiveTimeoutMs, memory: options.memory, charged };
  const body = await readBody(req, read).catch((err: unknown) => err as Error);
  if (body instanceof BodyError) {
    options.guard.countRefused(BODY_REFUSAL_REASON[body.problem]);
    return refuseBody(res, encoding, body);
  }
  if (body instanceof Error) throw body;
  try {
    await options.guard.run(async () => {
      const bytes = encoding === 'json' ? await options.json.convert(body) : body;
      await options.next.consumeTraces({ bytes, spanCount: 0 });
    }, slot);
  } catch (err) {
    return refuse(options, res, encoding, toPipelineError(err));
  }
  replySuccess(res, encoding);
}

function refuse(options: OtlpHttpHandlerOptions, res: ServerResponse, encoding: OtlpEncoding, error: PipelineError): void {
  // Refusals are expected under load (debug, once per request); anything else deserves attention.
  if (error.code === 'internal') options.logger.error({ err: error }, 'next stage failed on a request');
  else options.logger.debug({ code: error.code, reason: error.message }, 'request refused');
  replyFailure(res, encoding, toHttpRefusal(error));
}

/** The `reason` a body problem is counted under in the refused-requests metric. */
const BODY_REFUSAL_REASON: Readonly<Record<BodyError['problem'], string>> = Object.freeze({
  too_large: 'too_large',
  bad_encoding: 'invalid_argument',
  unsupported_encoding: 'invalid_argument',
  receive_timeout: 'receive_timeout',
  memory_limit: 'memory_limit',
  aborted: 'aborted',
});

function refuseBody(res: ServerResponse, encoding: OtlpEncoding, error: BodyError): void {
  switch (error.problem) {
    case 'too_large':
      return replyFailure(res, encoding, { status: 413, rpcCode: grpc.status.RESOURCE_EXHAUSTED, message: error.message });
    case 'unsupported_encoding':
      return replyFailure(res, encoding, { status: 415, rpcCode: grpc.status.INVALID_ARGUMENT, message: error.message });
    case 'bad_encoding':
      return replyFailure(res, encoding, { status: 400, rpcCode: grpc.status.INVALID_ARGUMENT, message: error.message });
    case 'receive_timeout':
      // The rest of the body is not waited for: answer, then close the connection.
      closeAfterAnswer(res);
      return replyFailure(res, encoding, { status: 408, rpcCode: grpc.status.DEADLINE_EXCEEDED, message: error.message });
    case 'memory_limit':
      closeAfterAnswer(res);
      return replyFailure(res, encoding, toHttpRefusal(error.refusal!));
    case 'aborted':
      res.destroy(); // the client is gone: nobody to answer
  }
}

// The body was not read to its end: answer, then drop the connection rather than read the rest.
function closeAfterAnswer(res: ServerResponse): void {
  res.setHeader('connection', 'close');
  res.once('finish', () => res.socket?.destroy());
}
