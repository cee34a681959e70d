import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gunzip = promisify(zlib.gunzip);

/** Why a body could not be read; the handler maps each to a status. */
export type BodyProblem =
  | 'too_large' // 413: over the limit on the wire or once decompressed
  | 'bad_encoding' // 400: not valid gzip
  | 'unsupported_encoding' // 415: a Content-Encoding other than gzip/identity
  | 'aborted'; // the client went away: nobody to answer

export class BodyError extends Error {
  constructor(
    readonly problem: BodyProblem,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * Reads a request body, decompressing gzip, never holding more than `maxBytes`
 * of it either on the wire or decompressed (a gzip bomb stops at the limit).
 * Rejects with a {@link BodyError}.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const coding = contentCoding(req.headers['content-encoding']);
  if (coding === undefined) throw new BodyError('unsupported_encoding', 'Content-Encoding must be gzip or identity');
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const raw = await collect(req, maxBytes);
  if (coding === 'identity') return raw;
  try {
    return await gunzip(raw, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new BodyError('bad_encoding', `gzip body does not decompress: ${(err as Error).message}`);
  }
}

function contentCoding(header: string | undefined): 'gzip' | 'identity' | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  return value === 'gzip' || value === 'x-gzip' ? 'gzip' : undefined;
}

function tooLarge(maxBytes: number): BodyError {
  return new BodyError('too_large', `request body is larger than ${maxBytes} bytes`);
}

/**
 * Buffers the body up to `maxBytes`. Past the limit it rejects at once and
 * keeps discarding the rest, so the client finishes sending and reads the
 * answer instead of seeing its connection reset.
 */
function collect(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBytes) {
        over = true;
        chunks.length = 0;
        reject(tooLarge(maxBytes));
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    // Settling twice is harmless: after 'end' these find the promise resolved.
    req.once('close', () => reject(new BodyError('aborted', 'client closed the connection before the body ended')));
    req.once('error', (err) => reject(new BodyError('aborted', err.message)));
  });
}
