import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type ErrorCode, PipelineError } from '../../../errors';
import type { Logger } from '../../../telemetry/logger';
import { DEFAULT_MAX_JSON_ELEMENTS } from './elementBudget';

/** One body for the worker (see convertWorker.ts). */
export interface ConvertRequest {
  readonly id: number;
  readonly body: ArrayBuffer;
  readonly maxElements: number;
}

/** The worker's answer: the protobuf bytes, or the error to refuse the request with. */
export type ConvertReply =
  | { readonly id: number; readonly bytes: ArrayBuffer; readonly error?: undefined }
  | { readonly id: number; readonly error: { readonly code: ErrorCode; readonly message: string }; readonly bytes?: undefined };

export interface JsonConverterOptions {
  /** Elements (objects, arrays, members, items) one request may hold; more is refused before parsing. Default 500,000. */
  readonly maxElements?: number;
  /**
   * Heap of the conversion thread, MiB (V8 old generation). A request that
   * needs more is refused and the thread replaced. Default 256.
   */
  readonly maxHeapMiB?: number;
  readonly logger: Logger;
}

export const JSON_CONVERTER_DEFAULTS = Object.freeze({ maxElements: DEFAULT_MAX_JSON_ELEMENTS, maxHeapMiB: 256 });

interface Job {
  readonly request: ConvertRequest;
  readonly transfer: ArrayBuffer[];
  readonly resolve: (bytes: Buffer) => void;
  readonly reject: (err: PipelineError) => void;
}

/**
 * Converts OTLP/JSON to protobuf on a worker thread, one request at a time,
 * so parsing a large or hostile body never blocks the event loop (16 MiB of
 * OTLP/JSON takes seconds to convert). The thread starts with the first
 * request and is replaced if it dies (e.g. out of its heap limit). Waiting
 * requests are bounded by the receiver's concurrency cap.
 */
export class JsonConverter {
  readonly #maxElements: number;
  readonly #maxHeapMiB: number;
  readonly #log: Logger;
  readonly #waiting: Job[] = [];
  #worker: Worker | undefined;
  #current: Job | undefined;
  #nextId = 1;
  #closed = false;

  /** Throws on invalid options, naming each problem. */
  constructor(options: JsonConverterOptions) {
    this.#maxElements = options.maxElements ?? JSON_CONVERTER_DEFAULTS.maxElements;
    this.#maxHeapMiB = options.maxHeapMiB ?? JSON_CONVERTER_DEFAULTS.maxHeapMiB;
    this.#log = options.logger;
    const problems: string[] = [];
    if (!Number.isSafeInteger(this.#maxElements) || this.#maxElements < 1) problems.push(`maxElements must be a positive integer, got ${this.#maxElements}`);
    if (!Number.isSafeInteger(this.#maxHeapMiB) || this.#maxHeapMiB < 16) problems.push(`maxHeapMiB must be an integer >= 16, got ${this.#maxHeapMiB}`);
    if (problems.length > 0) throw new RangeError(`JsonConverter: invalid options: ${problems.join('; ')}`);
  }

  /** The protobuf bytes of an OTLP/JSON body; rejects with the PipelineError to answer with. */
  convert(body: Buffer): Promise<Buffer> {
    if (this.#closed) return Promise.reject(new PipelineError('shutting_down', 'receiver is shutting down; retry'));
    // The body's memory moves to the thread when it owns its ArrayBuffer; a slice of a shared one is copied.
    const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
    const buffer = owned ? (body.buffer as ArrayBuffer) : new Uint8Array(body).buffer;
    return new Promise((resolve, reject) => {
      this.#waiting.push({ request: { id: this.#nextId++, body: buffer, maxElements: this.#maxElements }, transfer: [buffer], resolve, reject });
      this.#pump();
    });
  }

  /** Stops the thread; waiting requests are refused as shutting down. Safe twice. */
  async close(): Promise<void> {
    this.#closed = true;
    const gone = new PipelineError('shutting_down', 'receiver is shutting down; retry');
    for (const job of this.#waiting.splice(0)) job.reject(gone);
    this.#current?.reject(gone);
    this.#current = undefined;
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #pump(): void {
    if (this.#current || this.#closed) return;
    const job = this.#waiting.shift();
    if (!job) {
      this.#worker?.unref(); // an idle converter must not keep a stopped process alive
      return;
    }
    this.#current = job;
    const worker = this.#thread();
    worker.ref(); // a conversion under way keeps the process alive until it is answered
    worker.postMessage(job.request, job.transfer);
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(path.join(__dirname, 'convertWorker.js'), {
      resourceLimits: { maxOldGenerationSizeMb: this.#maxHeapMiB, maxYoungGenerationSizeMb: 16 },
    });
    worker.on('message', (reply: ConvertReply) => this.#settle(reply));
    worker.on('error', (err: Error & { code?: string }) => this.#died(worker, err));
    worker.on('exit', (code) => this.#died(worker, new Error(`conversion thread exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #settle(reply: ConvertReply): void {
    const job = this.#current;
    if (!job || job.request.id !== reply.id) return;
    this.#current = undefined;
    if (reply.bytes) job.resolve(Buffer.from(reply.bytes));
    else job.reject(new PipelineError(reply.error.code, reply.error.message));
    this.#pump();
  }

  #died(worker: Worker, err: Error & { code?: string }): void {
    if (this.#worker !== worker) return; // already replaced or closed
    this.#worker = undefined;
    const job = this.#current;
    this.#current = undefined;
    if (this.#closed) return;
    const outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
    if (outOfMemory) this.#log.warn({ maxHeapMiB: this.#maxHeapMiB }, 'an OTLP/JSON request needed more memory than the conversion thread may use; refused it and replaced the thread');
    else this.#log.error({ err }, 'OTLP/JSON conversion thread failed; replacing it');
    job?.reject(
      outOfMemory
        ? new PipelineError('invalid_argument', `OTLP/JSON body needs more than ${this.#maxHeapMiB} MiB to convert; send smaller requests`)
        : new PipelineError('internal', `OTLP/JSON conversion failed: ${err.message}`),
    );
    worker.terminate().catch(() => undefined);
    this.#pump();
  }
}
