import { PipelineError } from '../../../errors';
import { exportRequestType } from '../../../otlp/protos';
import { DEFAULT_MAX_JSON_ELEMENTS, countJsonElements } from './elementBudget';
import { JsonPathError, plainMessage } from './messageWalk';

/**
 * Converts an OTLP/JSON `ExportTraceServiceRequest` body into the protobuf
 * bytes the pipeline carries. A body of more than `maxElements` JSON elements
 * (objects, arrays, members and items; default 500,000) is refused before it
 * is parsed. Bad input throws a PipelineError `invalid_argument` naming the
 * field (answered 400). Synchronous and CPU-bound: the receiver runs it off
 * the event loop (see JsonConverter).
 */
export function otlpJsonToProtobuf(body: Uint8Array, maxElements: number = DEFAULT_MAX_JSON_ELEMENTS): Buffer {
  if (countJsonElements(body, maxElements) > maxElements) {
    throw new PipelineError('invalid_argument', `OTLP/JSON body has more than ${maxElements} elements (objects, arrays, members and items); send smaller requests`);
  }
  const type = exportRequestType();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new PipelineError('invalid_argument', `body is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return Buffer.from(type.encode(type.fromObject(plainMessage(type, parsed, ''))).finish());
  } catch (err) {
    if (err instanceof JsonPathError) throw new PipelineError('invalid_argument', `invalid OTLP/JSON: ${err.message}`);
    throw err;
  }
}
