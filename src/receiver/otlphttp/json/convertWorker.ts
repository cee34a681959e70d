import { parentPort } from 'node:worker_threads';
import { PipelineError } from '../../../errors';
import type { ConvertReply, ConvertRequest } from './converter';
import { otlpJsonToProtobuf } from './otlpJson';

/**
 * The JsonConverter's worker thread: converts one OTLP/JSON body at a time
 * and sends the protobuf bytes back in an ArrayBuffer of their own
 * (transferred, not copied). Its heap is bounded by the converter's
 * `resourceLimits`; running out ends the thread, not the service.
 */
parentPort?.on('message', (request: ConvertRequest) => {
  let reply: ConvertReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const out = otlpJsonToProtobuf(new Uint8Array(request.body), request.maxElements);
    const own = new ArrayBuffer(out.length);
    new Uint8Array(own).set(out);
    reply = { id: request.id, bytes: own };
    transfer.push(own);
  } catch (err) {
    const known = err instanceof PipelineError;
    reply = { id: request.id, error: { code: known ? err.code : 'internal', message: (err as Error).message } };
  }
  parentPort?.postMessage(reply, transfer);
});
