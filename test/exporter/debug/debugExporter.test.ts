import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { DebugExporter } from '../../../src/exporter/debug/index';
import { QueuedExporter } from '../../../src/exporter/queue/index';
import { silentLogger } from '../../../src/telemetry/logger';
import { encodeRequest, type KeyValueObject } from '../../helpers/otlpFixtures';

const kv = (key: string, value: KeyValueObject['value']): KeyValueObject => ({ key, value });

const TRACE_ID = Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex');
const request = () =>
  encodeRequest({
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', { stringValue: 'agent-desktop' })] },
        scopeSpans: [
          {
            spans: [
              {
                name: 'GET /api/v2/users/me',
                traceId: TRACE_ID,
                spanId: Buffer.from('b7ad6b7169203331', 'hex'),
                attributes: [
                  kv('http.method', { stringValue: 'GET' }),
                  kv('external.user.id', { stringValue: '6f1d8f8c-3a43-4b5e-9c1a-0f0e2b7c5d11' }),
                  kv('user.full_name', { stringValue: 'Ada Lovelace' }),
                  kv('user.email', { stringValue: 'ada@example.com' }),
                  kv('genesys.user.state', { stringValue: 'active' }),
                  kv('genesys.user.lookup', { stringValue: 'hit' }),
                ],
              },
              { name: 'no identity', traceId: TRACE_ID, spanId: Buffer.from('00000000000000ff', 'hex'), attributes: [kv('external.user.id', { intValue: '42' })] },
            ],
          },
        ],
      },
      { scopeSpans: [{ spans: [{ name: 'orphan', traceId: TRACE_ID, spanId: Buffer.from('0000000000000001', 'hex') }] }] },
    ],
  });

function collect(): { output: PassThrough; text: () => string } {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  return { output, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('DebugExporter', () => {
  it('prints one line per span: service, name, ids in hex, and the identity attributes present', async () => {
    const { output, text } = collect();
    const exporter = new DebugExporter({ output });

    assert.deepEqual(await exporter.send({ bytes: request(), spanCount: 3 }), { status: 'success' });

    assert.deepEqual(text().split('\n'), [
      'service="agent-desktop" span="GET /api/v2/users/me" trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331 ' +
        'external.user.id="6f1d8f8c-3a43-4b5e-9c1a-0f0e2b7c5d11" user.full_name="Ada Lovelace" user.email="ada@example.com" ' +
        'genesys.user.state="active" genesys.user.lookup="hit"',
      'service="agent-desktop" span="no identity" trace_id=0af7651916cd43dd8448eb211c80319c span_id=00000000000000ff external.user.id="42"',
      'service="(unknown service)" span="orphan" trace_id=0af7651916cd43dd8448eb211c80319c span_id=0000000000000001',
      '',
    ]);
  });

  it('reports a batch it cannot decode as a permanent failure', async () => {
    const result = await new DebugExporter({ output: new PassThrough() }).send({ bytes: Buffer.from([0xff, 0xff, 0xff]), spanCount: 0 });
    assert.equal(result.status, 'failure');
  });

  it('waits for a slow output before reporting success', async () => {
    let finishWrite!: () => void;
    const output = new Writable({ highWaterMark: 1, write: (_chunk, _enc, done) => (finishWrite = done) });
    let settled = false;

    const sending = new DebugExporter({ output }).send({ bytes: request(), spanCount: 3 }).then((r) => ((settled = true), r));
    await new Promise(setImmediate);
    assert.equal(settled, false, 'still waiting for the output to drain');
    finishWrite();

    assert.equal((await sending).status, 'success');
  });

  it('sits behind the sending queue like any exporter', async () => {
    const { output, text } = collect();
    const queue = new QueuedExporter({ sender: new DebugExporter({ output }), logger: silentLogger() });
    await queue.start();

    await queue.consumeTraces({ bytes: request(), spanCount: 3 });
    await queue.shutdown();

    assert.equal(text().trim().split('\n').length, 3);
    assert.equal(queue.stats().sentSpans, 3);
  });
});
