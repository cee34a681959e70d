import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIdList, sortIds } from '../../src/cli/ids';
import { formatDuration, ProgressReporter } from '../../src/cli/progress';
import { formatTable, MAX_CELL } from '../../src/cli/table';
import { formatSummary } from '../../src/cli/runSummary';
import { fakeUserId } from '../helpers/fakeDeactivation';

describe('ids files', () => {
  it('take one id per line, ignoring # comments, blank lines and surrounding spaces', () => {
    assert.deepEqual(parseIdList('# header\n a \n\nb # note\r\n#c\n  # indented comment\n'), ['a', 'b']);
  });

  it('are deduplicated by canonical id, keeping the first position, with malformed entries set apart', () => {
    const a = fakeUserId(1);
    const sorted = sortIds([a.toUpperCase(), 'x', a, 'x', fakeUserId(2)]);
    assert.deepEqual(sorted, { ordered: [a, 'x', fakeUserId(2)], valid: [a, fakeUserId(2)], invalid: ['x'], duplicates: 2 });
  });
});

describe('durations for people', () => {
  it('reads as seconds, minutes or hours', () => {
    assert.deepEqual([undefined, NaN, 0, 999, 1000, 59_400, 61_000, 3_599_000, 3_600_000, 4_980_000].map(formatDuration), [
      '?', '?', '<1s', '<1s', '1s', '59s', '1m 01s', '59m 59s', '1h 00m', '1h 23m',
    ]);
  });
});

describe('progress', () => {
  function sink(isTTY: boolean) {
    let text = '';
    return { stream: { isTTY, write: (s: string) => (text += s) }, text: () => text };
  }

  it('writes a plain line at each tenth of the way when not on a terminal', () => {
    const s = sink(false);
    const p = new ProgressReporter(s.stream, 'deactivate');
    for (let done = 0; done <= 3; done++) p.update({ done, total: 3, failed: done === 3 ? 1 : 0, etaMs: (3 - done) * 65_000 });
    p.finish();
    assert.equal(s.text(), 'deactivate: 1/3 users done, about 2m 10s left\ndeactivate: 2/3 users done, about 1m 05s left\ndeactivate: 3/3 users done, 1 failed\n');
  });

  it('redraws one bar in place on a terminal and ends its line when finished', () => {
    const s = sink(true);
    const p = new ProgressReporter(s.stream, 'deactivated', 10);
    p.update({ done: 1, total: 4, failed: 1, etaMs: 90_000 });
    p.finish();
    assert.equal(s.text(), '\r\x1b[2K[###.......] 1/4  1 failed  ETA 1m 30s\n');
  });
});

describe('summary tables', () => {
  it('pad columns, rule the header and keep no trailing spaces', () => {
    assert.equal(formatTable(['A', 'LONGER'], [['xyz', '1 '], ['', '2']]), 'A    LONGER\n---  ------\nxyz  1\n     2\n');
  });

  it('neutralise control characters and shorten very long cells', () => {
    const out = formatTable(['NAME'], [['Eve\x1b[31m red\x07'], ['y'.repeat(200)]]);
    assert.ok(!/[\x00-\x1f]/.test(out.replace(/\n/g, '')), 'no control characters left');
    assert.match(out, /Eve\?\[31m red\?/);
    assert.ok(out.split('\n')[3].length === MAX_CELL && out.split('\n')[3].endsWith('…'));
  });

  it('the summary repeats in full, under the table, every error the ERROR column cut short', () => {
    const long = `state: genesys_unavailable: ${'Genesys answered 503 Service Unavailable after 4 attempts; '.repeat(3)}the end`;
    const out = formatSummary([
      { userId: 'u-1', error: { code: 'not_run', message: 'short' } },
      { userId: 'u-2', error: { code: 'run_failed', message: long } },
    ]);
    const [table, full] = out.split('\nerrors in full:\n');
    assert.match(table!, /…/);
    assert.equal(full, `  u-2: run_failed: ${long}\n`);
    assert.doesNotMatch(full!, /u-1/, 'only the errors cut short');
  });
});
