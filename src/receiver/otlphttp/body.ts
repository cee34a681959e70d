import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { PipelineError } from '../../errors';

const gunzip = promisify(zlib.gunzip);

/** Why a body could not be read; the handler maps each to a status. */
export type BodyProblem =
  | 'too_large' // 413: over the limit on the wire or once decompressed
  | 'bad_encoding' // 400: not valid gzip
  | 'unsupported_encoding' // 415: a Content-Encoding other than gzip/identity
  | 'receive_timeout' // 408: the body did not arrive within the receive deadline
  | 'memory_limit' // 503: receiving it would take memory past the limit (retryable)
  | 'aborted'; // the client went away: nobody to answer

export class BodyError extends Error {
  constructor(
    readonly problem: BodyProblem,
    message: string,
    /** For `memory_limit`: the memory limiter's refusal (carries the back-off hint). */
    readonly refusal?: PipelineError,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** Counts request bytes against the memory limit while they arrive (the MemoryLimiter). */
export interface IncomingMemory {
  /** Counts `bytes` now; returns the refusal when they take memory past the limit. */
  chargeIncoming(bytes: number): PipelineError | undefined;
  releaseIncoming(bytes: number): void;
}

/** How a body is read. */
export interface ReadBodyOptions {
  /** Largest body, bytes, on the wire and decompressed. */
  readonly maxBytes: number;
  /** The whole body must have arrived within this, ms, from the call; 0: no deadline. */
  readonly timeoutMs: number;
  /** Where arriving bytes are counted. */
  readonly memory?: IncomingMemory;
  /** Adds up the bytes charged to `memory`; the caller releases them once the request is done. */
  readonly charged: { bytes: number };
}

/**
 * Reads a request body, decompressing gzip, never holding more than `maxBytes`
 * of it either on the wire or decompressed (a gzip bomb stops at the limit),
 * within `timeoutMs`, counting every byte against the memory limit as it
 * arrives. Rejects with a {@link BodyError}; on a timeout or the memory limit
 * the bytes received so far are dropped at once.
 */
export async function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes } = options;
  const coding = contentCoding(req.headers['content-encoding']);
  if (coding === undefined) throw new BodyError('unsupported_encoding', 'Content-Encoding must be gzip or identity');
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const raw = await collect(req, options);
  if (coding === 'identity') return raw;
  let body: Buffer;
  try {
    body = await gunzip(raw, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new BodyError('bad_encoding', `gzip body does not decompress: ${(err as Error).message}`);
  }
  const refusal = charge(options, body.length);
  if (refusal) throw refusal;
  return body;
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
 * answer instead of seeing its connection reset. Past the deadline or the
 * memory limit it rejects and drops what it holds; the caller answers and
 * closes the connection.
 */
function collect(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes, timeoutMs } = options;
  const declared = Number(req.headers['content-length']);
  // A large declared body is copied into one buffer chunk by chunk as it arrives, rather than
  // concatenated at the end: one 16 MiB copy would hold the event loop for tens of milliseconds.
  const direct = Number.isSafeInteger(declared) && declared >= DIRECT_COPY_FROM && declared <= maxBytes ? declared : 0;
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let whole: Buffer | undefined;
    let size = 0;
    let over = false;
    const stop = (err: BodyError) => {
      over = true;
      chunks = [];
      whole = undefined;
      clearTimeout(timer);
      reject(err);
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(() => stop(new BodyError('receive_timeout', `request body not received within ${timeoutMs} ms`)), timeoutMs).unref()
        : undefined;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      if (size + chunk.length > maxBytes) return stop(tooLarge(maxBytes));
      const refusal = charge(options, chunk.length);
      if (refusal) return stop(refusal);
      if (direct > 0 && size + chunk.length <= direct) {
        // Allocated at the first byte, not at the headers: a client that declares and never sends costs nothing.
        whole ??= Buffer.allocUnsafeSlow(direct);
        chunk.copy(whole, size);
      } else chunks.push(chunk);
      size += chunk.length;
    });
    req.once('end', () => {
      clearTimeout(timer);
      if (over) return;
      if (whole && size === direct) resolve(whole);
      else resolve(Buffer.concat(whole ? [whole.subarray(0, Math.min(size, direct)), ...chunks] : chunks, size));
    });
    // Settling twice is harmless: after 'end' these find the promise resolved.
    req.once('close', () => stop(new BodyError('aborted', 'client closed the connection before the body ended')));
    req.once('error', (err) => stop(new BodyError('aborted', err.message)));
  });
}

// Bodies declared at least this large are copied into place as they arrive, bytes.
const DIRECT_COPY_FROM = 64 * 1024;

/** Charges `bytes` to the memory limit; the BodyError to stop with when over it. */
function charge(options: ReadBodyOptions, bytes: number): BodyError | undefined {
  if (!options.memory) return undefined;
  options.charged.bytes += bytes;
  const refusal = options.memory.chargeIncoming(bytes);
  return refusal ? new BodyError('memory_limit', refusal.message, refusal) : undefined;
}
