import type * as grpc from '@grpc/grpc-js';
import { toPipelineError } from '../../errors';
import type { TracesConsumer } from '../../pipeline/consumer';
import type { Logger } from '../../telemetry/logger';
import type { RequestGuard } from '../limits/requestGuard';
import { type ExportResponse, FULL_SUCCESS } from './service';
import { toGrpcStatus } from './status';

/**
 * The Export handler: hands the request bytes to the next stage and answers
 * from the outcome. It catches everything, so no input can crash the server.
 *
 * `spanCount` is passed as 0: the receiver does not parse the request; the
 * processor counts the spans while walking the bytes and hands on the real count.
 *
 * With a `guard`, each request first passes its admissions (memory limit) and
 * concurrency cap, and is held to its processing deadline; see RequestGuard.
 */
export function exportHandler(next: TracesConsumer, log: Logger, guard?: RequestGuard): grpc.handleUnaryCall<Buffer, ExportResponse> {
  return (call, callback) => {
    const consume = () => next.consumeTraces({ bytes: call.request, spanCount: 0 });
    Promise.resolve()
      .then(() => (guard ? guard.run(consume) : consume()))
      .then(
        () => callback(null, FULL_SUCCESS),
        (err: unknown) => {
          const error = toPipelineError(err);
          // Refusals are expected under load (logged at debug, once per request);
          // anything else deserves attention.
          if (error.code === 'internal') log.error({ err: error }, 'next stage failed on a request');
          else log.debug({ code: error.code, reason: error.message }, 'request refused');
          callback(toGrpcStatus(error));
        },
      );
  };
}
