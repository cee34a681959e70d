import type { IncomingMessage } from 'node:http';
import { STATE_CHANGE_REASONS, type StateChangeReason } from '../deactivation/types';
import { AdminError } from './errors';

/** Largest accepted request body, bytes: 16 KiB. The bodies are a couple of fields. */
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024;

/** The options a run request may carry. */
export interface RunRequest {
  readonly dryRun: boolean;
  readonly reason?: StateChangeReason;
}

/**
 * Reads the whole request body, refusing early (413) once it passes
 * `limitBytes`, whether announced by Content-Length or found while streaming.
 * Rejects with the stream's error if the client goes away mid-body.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      cleanup();
      req.resume(); // discard the rest; the response closes the connection
      reject(tooLarge(limitBytes));
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Validates a run request body: empty means defaults; otherwise a JSON object
 * with only the allowed fields (`dryRun` boolean; `reason` one of
 * STATE_CHANGE_REASONS when `allowReason`). Unknown fields are refused rather
 * than ignored, so a typo such as `dry_run` never turns a preview into a real run.
 */
export function parseRunRequest(body: Buffer, contentType: string | undefined, allowReason: boolean): RunRequest {
  const text = body.toString('utf8');
  if (text.trim() === '') return { dryRun: false };
  if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType))
    throw new AdminError('unsupported_media_type', `the request body must be JSON with Content-Type: application/json, got ${JSON.stringify(contentType.slice(0, 100))}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AdminError('invalid_body', 'the request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new AdminError('invalid_body', 'the request body must be a JSON object');
  const allowed = allowReason ? ['dryRun', 'reason'] : ['dryRun'];
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields))
    if (!allowed.includes(key))
      throw new AdminError('invalid_body', `unknown field ${JSON.stringify(key.slice(0, 64))}; allowed: ${allowed.join(', ')}`);
  const { dryRun = false, reason } = fields;
  if (typeof dryRun !== 'boolean') throw new AdminError('invalid_body', '"dryRun" must be true or false');
  if (reason !== undefined && !isReason(reason))
    throw new AdminError('invalid_body', `"reason" must be one of ${STATE_CHANGE_REASONS.join(', ')}`);
  return reason === undefined ? { dryRun } : { dryRun, reason };
}

function isReason(v: unknown): v is StateChangeReason {
  return typeof v === 'string' && (STATE_CHANGE_REASONS as readonly string[]).includes(v);
}

function tooLarge(limitBytes: number): AdminError {
  return new AdminError('body_too_large', `the request body must be at most ${limitBytes} bytes`);
}
