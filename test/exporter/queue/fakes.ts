/** Test doubles for the sending queue: a scripted BatchSender and a log recorder. */
import { EventEmitter } from 'node:events';
import pino from 'pino';
import type { BatchSender, SendResult } from '../../../src/exporter/queue/types';
import type { TraceBatch } from '../../../src/pipeline/consumer';
import type { Logger } from '../../../src/telemetry/logger';

export interface Attempt {
  readonly batch: TraceBatch;
  readonly at: number;
  readonly signal?: AbortSignal;
}

/**
 * A BatchSender answering from a script, one entry per attempt (then success).
 * 'hold' leaves the attempt pending until `release()`. Emits 'attempt'.
 */
export class ScriptedSender extends EventEmitter implements BatchSender {
  readonly attempts: Attempt[] = [];
  started = 0;
  shutdowns = 0;
  private held: Array<(result: SendResult) => void> = [];

  constructor(private readonly script: Array<SendResult | 'hold' | 'throw'> = []) {
    super();
  }

  async start(): Promise<void> {
    this.started++;
  }

  async shutdown(): Promise<void> {
    this.shutdowns++;
  }

  send(batch: TraceBatch, signal?: AbortSignal): Promise<SendResult> {
    this.attempts.push({ batch, at: Date.now(), signal });
    const step = this.script.shift() ?? { status: 'success' };
    this.emit('attempt', this.attempts.length);
    if (step === 'throw') return Promise.reject(new Error('sender bug'));
    if (step === 'hold') return new Promise((resolve) => this.held.push(resolve));
    return Promise.resolve(step);
  }

  /** Ends every held attempt with `result` (default: success). */
  release(result: SendResult = { status: 'success' }): void {
    for (const resolve of this.held.splice(0)) resolve(result);
  }

  /** Resolves once `count` attempts were made. */
  async waitForAttempts(count: number): Promise<void> {
    while (this.attempts.length < count) await EventEmitter.once(this, 'attempt');
  }
}

/** A real pino logger whose records are kept as parsed objects. */
export function recordingLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => records.push(JSON.parse(line)) });
  return { logger, records };
}

/** A batch of `spans` spans and `bytes` bytes (content is irrelevant to the queue). */
export function batchOf(spans: number, bytes = 100, fill = 0): TraceBatch {
  return { bytes: Buffer.alloc(bytes, fill), spanCount: spans };
}

/**
 * A held batch (TraceBatch.pending) whose look-ups settle when the test says
 * so; `finish` returns the "enriched" batch (the held bytes with `+` appended)
 * and records why it was called.
 */
export class ScriptedPending {
  readonly finished: string[] = [];
  abandoned = false;
  readonly settled: Promise<void>;
  settle!: () => void;
  readonly batch: TraceBatch;

  constructor(spans: number, bytes = 100, fill = 0) {
    this.settled = new Promise((resolve) => (this.settle = resolve));
    const raw = Buffer.alloc(bytes, fill);
    this.batch = {
      bytes: raw,
      spanCount: spans,
      pending: {
        settled: this.settled,
        finish: (why) => {
          this.finished.push(why);
          return { bytes: Buffer.concat([raw, Buffer.from('+')]), spanCount: spans };
        },
        abandon: () => {
          this.abandoned = true;
        },
      },
    };
  }
}
