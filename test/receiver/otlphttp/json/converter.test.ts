import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { exportRequestType } from '../../../../src/otlp/protos';
import { JsonConverter } from '../../../../src/receiver/otlphttp/json/converter';
import { countJsonElements } from '../../../../src/receiver/otlphttp/json/elementBudget';
import { silentLogger } from '../../../../src/telemetry/logger';

const converters: JsonConverter[] = [];
afterEach(async () => {
  for (const c of converters.splice(0)) await c.close();
});

function converter(options: { maxElements?: number; maxHeapMiB?: number } = {}): JsonConverter {
  const c = new JsonConverter({ ...options, logger: silentLogger() });
  converters.push(c);
  return c;
}

const spansJson = (spans: number, name = 'op') =>
  Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: spans }, (_, i) => ({ name: `${name}-${i}` })) }] }] }));

describe('countJsonElements', () => {
  it('counts objects, arrays, and each further member or item, never what is inside strings', () => {
    assert.equal(countJsonElements(Buffer.from('{}'), 10), 1);
    assert.equal(countJsonElements(Buffer.from('{"a":[1,2,3],"b":{}}'), 10), 6, '{ [ , , , {');
    assert.equal(countJsonElements(Buffer.from('{"a":"{[,\\",{[,"}'), 10), 1, 'braces, commas and escaped quotes in a string');
  });

  it('stops as soon as the count passes the budget', () => {
    assert.equal(countJsonElements(Buffer.from('[{},{},{}]'), 3), Infinity);
    assert.equal(countJsonElements(Buffer.from('[{},{},{}]'), 6), 6);
  });
});

describe('JsonConverter', () => {
  it('converts OTLP/JSON to the protobuf bytes the pipeline carries, one request after another', async () => {
    const c = converter();
    const [a, b] = await Promise.all([c.convert(spansJson(2, 'a')), c.convert(spansJson(1, 'b'))]);
    const type = exportRequestType();
    const names = (bytes: Buffer) => (type.toObject(type.decode(bytes)) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> }).resourceSpans[0].scopeSpans[0].spans.map((s) => s.name);
    assert.deepEqual(names(a), ['a-0', 'a-1']);
    assert.deepEqual(names(b), ['b-0']);
  });

  it('refuses a body over its element budget before parsing it, naming the budget', async () => {
    const c = converter({ maxElements: 100 });
    await assert.rejects(c.convert(spansJson(200)), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'invalid_argument');
      assert.match(err.message, /more than 100 elements/);
      return true;
    });
    assert.ok(await c.convert(spansJson(10)), 'a smaller body still converts');
  });

  it('answers bad JSON with invalid_argument and keeps converting', async () => {
    const c = converter();
    await assert.rejects(c.convert(Buffer.from('{"resourceSpans": [')), /not valid JSON/);
    assert.ok(await c.convert(spansJson(1)));
  });

  it('refuses a body that needs more memory than its thread may use, replaces the thread, and converts the next one', async () => {
    const c = converter({ maxHeapMiB: 16, maxElements: 10_000_000 });
    const huge = Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[${Array(600_000).fill('{"name":"x"}').join(',')}]}]}]}`);
    await assert.rejects(c.convert(huge), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'invalid_argument');
      assert.match(err.message, /needs more than 16 MiB to convert/);
      return true;
    });
    assert.ok(await c.convert(spansJson(3)));
  });

  it('refuses waiting requests as shutting down once closed', async () => {
    const c = converter();
    const pending = assert.rejects(c.convert(spansJson(1000)), (err: Error & { code?: string }) => err.code === 'shutting_down');
    await c.close();
    await pending;
    await assert.rejects(c.convert(spansJson(1)), (err: Error & { code?: string }) => err.code === 'shutting_down');
  });

  it('rejects bad options, naming each', () => {
    assert.throws(() => new JsonConverter({ maxElements: 0, maxHeapMiB: 1, logger: silentLogger() }), /maxElements.*maxHeapMiB/);
  });
});
