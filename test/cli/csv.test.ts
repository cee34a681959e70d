import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CsvError, csvColumn } from '../../src/cli/csv';

describe('csvColumn: one column of an HR export', () => {
  it('reads the named column under a header row, with its line numbers', () => {
    assert.deepEqual(csvColumn('id,name\nE1,Ana\nE2,Bo\n', 'id'), [{ line: 2, value: 'E1' }, { line: 3, value: 'E2' }]);
  });

  it('strips a byte order mark, takes CRLF, skips blank lines and trims values', () => {
    assert.deepEqual(csvColumn('\uFEFFid,name\r\n\r\n E1 ,Ana\r\n\r\nE2,Bo', 'id'), [{ line: 3, value: 'E1' }, { line: 5, value: 'E2' }]);
  });

  it('takes quoted fields with commas, doubled quotes and line breaks inside them', () => {
    const text = 'name,id\n"Hart, Amelia",E1\n"Said ""hi""\nthen left",E2\n"",E3\n';
    assert.deepEqual(csvColumn(text, 'id'), [{ line: 2, value: 'E1' }, { line: 3, value: 'E2' }, { line: 5, value: 'E3' }]);
    assert.deepEqual(csvColumn(text, 'name').map((c) => c.value), ['Hart, Amelia', 'Said "hi"\nthen left', '']);
  });

  it('matches the column ignoring letter case when no exact match; a short row gives an empty value', () => {
    assert.deepEqual(csvColumn('Employee_ID,name\nE1\n', 'employee_id'), [{ line: 2, value: 'E1' }]);
    assert.deepEqual(csvColumn('name,id\nAna\n', 'id'), [{ line: 2, value: '' }]);
  });

  it('says what is wrong: no header, no such column (listing the columns), an unclosed quote', () => {
    assert.throws(() => csvColumn('', 'id'), (e: unknown) => e instanceof CsvError && /empty/.test(e.message));
    assert.throws(() => csvColumn('a,b\n1,2\n', 'id'), /no column "id" in the header row; columns: "a", "b"/);
    assert.throws(() => csvColumn('id\n"E1\n', 'id'), /line 2: a quoted field is not closed/);
  });
});
