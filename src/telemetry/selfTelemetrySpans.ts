import { SpanStatusCode, type Span } from '@opentelemetry/api';

/**
 * Ends `span` when `work` settles and passes its outcome on unchanged. A
 * failure marks the span ERROR with the error's message and, when it has them,
 * its stable `code` (`error.type`), HTTP `status` and `retryable` decision, the
 * fields GenesysError and PipelineError carry. Their messages hold no secrets.
 */
export async function endWhenSettled<T>(span: Span, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const e = (err ?? {}) as { code?: unknown; status?: unknown; retryable?: unknown; message?: unknown; name?: unknown };
    span.setAttribute('error.type', typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'error');
    if (typeof e.status === 'number' && e.status > 0) span.setAttribute('http.response.status_code', e.status);
    if (typeof e.retryable === 'boolean') span.setAttribute('error.retryable', e.retryable);
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof e.message === 'string' ? e.message : undefined });
    throw err;
  } finally {
    span.end();
  }
}
