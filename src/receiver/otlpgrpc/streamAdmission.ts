import http2 from 'node:http2';
import type { Admission } from '../limits/requestGuard';
import { toGrpcStatus } from './status';

/**
 * Refuses a new OTLP/gRPC stream as it opens, while an admission refuses —
 * the memory limiter above its soft limit — so its body is never buffered:
 * otherwise a request could be refused only once grpc-js had received all of
 * it. The answer is the one the handler would give (UNAVAILABLE with a
 * RetryInfo, from the one status table), sent as a trailers-only response,
 * followed by RST_STREAM NO_ERROR, which tells the client to stop sending the
 * body (RFC 9113, 8.1); grpc-js then sees a closed stream and drops the call.
 * Costs each request one call of each admission's `refusal()`, a comparison
 * or two. Counts refusals by the admission's reason.
 */
export class StreamAdmission {
  readonly #admissions: readonly Admission[];
  readonly #refused: Record<string, number> = {};

  constructor(admissions: readonly Admission[]) {
    this.#admissions = admissions;
  }

  /** Watches the streams of `h2` from now on; must be attached before grpc-js's own listener. */
  attach(h2: http2.Http2Server | http2.Http2SecureServer): void {
    h2.on('stream', (stream: http2.ServerHttp2Stream) => {
      for (const admission of this.#admissions) {
        const refusal = admission.refusal();
        if (!refusal) continue;
        this.#refused[admission.reason] = (this.#refused[admission.reason] ?? 0) + 1;
        const status = toGrpcStatus(refusal);
        try {
          stream.respond(
            {
              ':status': 200,
              'content-type': 'application/grpc+proto',
              'grpc-status': String(status.code),
              'grpc-message': encodeGrpcMessage(status.details),
              ...status.metadata.toHttp2Headers(),
            },
            { endStream: true },
          );
          stream.close(http2.constants.NGHTTP2_NO_ERROR);
        } catch {
          // The stream closed meanwhile: nobody to answer.
        }
        return;
      }
    });
  }

  /** Streams refused at open, by reason. */
  refused(): Readonly<Record<string, number>> {
    return this.#refused;
  }
}

// gRPC over HTTP/2: grpc-message is percent-encoded outside printable ASCII (and '%' itself).
function encodeGrpcMessage(message: string): string {
  return message.replace(/[^\x20-\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c));
}
