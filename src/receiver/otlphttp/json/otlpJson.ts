import { PipelineError } from '../../../errors';
import { exportRequestType } from '../../../otlp/protos';
import { JsonPathError, plainMessage } from './messageWalk';

/**
 * Converts an OTLP/JSON `ExportTraceServiceRequest` body into the protobuf
 * bytes the pipeline carries. Bad input throws a PipelineError
 * `invalid_argument` naming the field (answered 400).
 */
export function otlpJsonToProtobuf(body: Buffer): Buffer {
  const type = exportRequestType();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
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
