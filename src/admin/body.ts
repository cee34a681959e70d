import type { IncomingMessage } from 'node:http';
import { STATE_CHANGE_REASONS, type StateChangeReason } from '../deactivation/types';
import { AdminError } from './errors';

/** Largest accepted request body, bytes: 16 KiB. The bodies are a couple of fields. */
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024;

/** The options a run request may carry. */
export interface RunRequest {
  readonly dryRun: boolean;
  readonly reason?: StateChangeReason;
  /** Optional deactivation steps (deactivate only). */
  readonly removeGroups?: boolean;
  readonly moveDivision?: boolean;
  readonly removeManagementUnit?: boolean;
}

/** Optional deactivation steps a deactivate body may switch on. */
const OPTIONAL_STEP_FIELDS = ['removeGroups', 'moveDivision', 'removeManagementUnit'] as const;

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
 * with only the allowed fields (`dryRun` boolean; when `allowReason`, i.e.
 * for a deactivation: `reason` one of STATE_CHANGE_REASONS and the optional
 * steps `removeGroups`, `moveDivision`, `removeManagementUnit`, booleans). Unknown fields are refused rather
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
  const allowed: string[] = allowReason ? ['dryRun', 'reason', ...OPTIONAL_STEP_FIELDS] : ['dryRun'];
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields))
    if (!allowed.includes(key))
      throw new AdminError('invalid_body', `unknown field ${JSON.stringify(key.slice(0, 64))}; allowed: ${allowed.join(', ')}`);
  const { dryRun = false, reason } = fields;
  if (typeof dryRun !== 'boolean') throw new AdminError('invalid_body', '"dryRun" must be true or false');
  if (reason !== undefined && !isReason(reason))
    throw new AdminError('invalid_body', `"reason" must be one of ${STATE_CHANGE_REASONS.join(', ')}`);
  const steps: Record<string, boolean> = {};
  for (const field of OPTIONAL_STEP_FIELDS) {
    const v = fields[field];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new AdminError('invalid_body', `"${field}" must be true or false`);
    steps[field] = v;
  }
  return { dryRun, ...(reason === undefined ? {} : { reason }), ...steps };
}

function isReason(v: unknown): v is StateChangeReason {
  return typeof v === 'string' && (STATE_CHANGE_REASONS as readonly string[]).includes(v);
}

function tooLarge(limitBytes: number): AdminError {
  return new AdminError('body_too_large', `the request body must be at most ${limitBytes} bytes`);
}
