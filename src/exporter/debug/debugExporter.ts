import { once } from 'node:events';
import type { TraceBatch } from '../../pipeline/consumer';
import { exportRequestType } from '../../otlp/protos';
import type { BatchSender, SendResult } from '../queue/types';
import { type DecodedRequest, formatRequest } from './format';

/** Options of {@link DebugExporter}. */
export interface DebugExporterOptions {
  /** Where span lines go. Default `process.stdout`. */
  readonly output?: NodeJS.WritableStream;
}

/**
 * The exporter used when no endpoint is configured: decodes each batch and
 * prints one line per span with its identity attributes. It sits behind the
 * sending queue like any sender, and waits for a slow output (backpressure).
 */
export class DebugExporter implements BatchSender {
  private readonly output: NodeJS.WritableStream;

  constructor(options: DebugExporterOptions = {}) {
    this.output = options.output ?? process.stdout;
  }

  async start(): Promise<void> {}

  /** Prints the batch; an undecodable batch is a permanent failure. */
  async send(batch: TraceBatch): Promise<SendResult> {
    let request: DecodedRequest;
    try {
      request = exportRequestType().decode(batch.bytes) as unknown as DecodedRequest;
    } catch (err) {
      return { status: 'failure', reason: `undecodable batch: ${err instanceof Error ? err.message : String(err)}` };
    }
    const lines = formatRequest(request);
    if (lines.length > 0 && !this.output.write(`${lines.join('\n')}\n`)) await once(this.output, 'drain');
    return { status: 'success' };
  }

  async shutdown(): Promise<void> {}
}
