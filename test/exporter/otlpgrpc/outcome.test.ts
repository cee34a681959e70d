import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeResponse } from '../../../src/exporter/otlpgrpc/index';
import { exportResponseType } from '../../../src/otlp/protos';

describe('decodeResponse', () => {
  it('reads an empty response as full success', () => {
    assert.deepEqual(decodeResponse(Buffer.alloc(0)), {});
  });

  it('reads a partial success', () => {
    const bytes = Buffer.from(exportResponseType().encode({ partialSuccess: { rejectedSpans: 3, errorMessage: 'spans too old' } }).finish());
    assert.deepEqual(decodeResponse(bytes), { rejectedSpans: 3, message: 'spans too old' });
  });

  it('never fails over an unreadable response: the data was accepted', () => {
    assert.deepEqual(decodeResponse(Buffer.from([0xff, 0xff, 0xff])), { message: 'unreadable ExportTraceServiceResponse' });
  });
});
