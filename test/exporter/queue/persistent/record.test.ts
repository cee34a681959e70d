import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RECORD_HEADER_BYTES, crc32, encodeRecordHeader, scanSegment } from '../../../../src/exporter/queue/persistent/index';

const record = (seq: number, text: string, spans = 1): Buffer => {
  const payload = Buffer.from(text);
  return Buffer.concat([encodeRecordHeader(seq, spans, payload), payload]);
};
const texts = (buf: Buffer) => scanSegment(buf).records.map((r) => r.payload.toString());

describe('crc32', () => {
  it('matches the standard check value of CRC-32/IEEE', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
  });

  it('continues over split input', () => {
    const whole = Buffer.from('the quick brown fox');
    assert.equal(crc32(whole, 10, whole.length, crc32(whole, 0, 10)), crc32(whole));
  });
});

describe('segment records', () => {
  const three = Buffer.concat([record(1, 'one', 3), record(2, 'two', 5), record(3, 'three', 7)]);

  it('round-trip with their sequence number and span count', () => {
    const scan = scanSegment(three);
    assert.deepEqual(scan.records.map((r) => [r.seq, r.spanCount, r.payload.toString()]), [[1, 3, 'one'], [2, 5, 'two'], [3, 7, 'three']]);
    assert.deepEqual([scan.corrupted, scan.validEnd], [0, three.length]);
  });

  it('keep sequence numbers above 2^32', () => {
    assert.equal(scanSegment(record(2 ** 40 + 7, 'big')).records[0].seq, 2 ** 40 + 7);
  });

  it('end at a torn last write, wherever the write was cut', () => {
    const lastStart = three.length - record(3, 'three').length;
    for (const cut of [lastStart + 1, lastStart + RECORD_HEADER_BYTES - 1, lastStart + RECORD_HEADER_BYTES, three.length - 1]) {
      const scan = scanSegment(three.subarray(0, cut));
      assert.deepEqual(scan.records.map((r) => r.payload.toString()), ['one', 'two'], `cut at ${cut}`);
      assert.deepEqual([scan.corrupted, scan.validEnd], [0, lastStart], `cut at ${cut}`);
    }
  });

  it('treat zeros or garbage after the last record as a torn tail', () => {
    for (const tail of [Buffer.alloc(4096), Buffer.from('garbage that is no record')]) {
      const scan = scanSegment(Buffer.concat([three, tail]));
      assert.deepEqual([scan.records.length, scan.corrupted, scan.validEnd], [3, 0, three.length]);
    }
  });

  it('skip a record whose payload is damaged, count it, and keep the rest', () => {
    const damaged = Buffer.from(three);
    damaged[record(1, 'one').length + RECORD_HEADER_BYTES] ^= 0x01; // first payload byte of "two"
    const scan = scanSegment(damaged);
    assert.deepEqual(scan.records.map((r) => r.payload.toString()), ['one', 'three']);
    assert.deepEqual([scan.corrupted, scan.validEnd], [1, damaged.length]);
  });

  it('skip a record whose header is damaged by finding the next valid header', () => {
    for (const offset of [0, 4, 9, 17, 26]) {
      const damaged = Buffer.from(three);
      damaged[record(1, 'one').length + offset] ^= 0xff; // inside the header of "two"
      const scan = scanSegment(damaged);
      assert.deepEqual(scan.records.map((r) => r.payload.toString()), ['one', 'three'], `byte ${offset}`);
      assert.equal(scan.corrupted, 1, `byte ${offset}`);
    }
  });

  it('read an empty segment as empty', () => {
    assert.deepEqual(texts(Buffer.alloc(0)), []);
  });
});
