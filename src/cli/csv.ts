/**
 * One column of a CSV export (an HR system's list of leavers): RFC 4180
 * fields (quoted fields with `""` escapes, commas and line breaks inside
 * quotes), CRLF or LF, a UTF-8 byte order mark, a header row naming the
 * columns, blank lines skipped.
 */

/** A value of the column and the line of the file it starts on (1-based, the header is line 1). */
export interface CsvCell {
  readonly line: number;
  readonly value: string;
}

/** The file is not CSV we can read, or has no such column. The message says where. */
export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/**
 * The values of `column` (matched exactly after trimming, else ignoring
 * letter case), one per non-blank data row, trimmed. A row too short for the
 * column gives an empty value (reported by the caller, not here).
 */
export function csvColumn(text: string, column: string): CsvCell[] {
  const records = parseRecords(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const header = records.shift();
  if (!header) throw new CsvError('the file is empty: expected a header row naming the columns');
  const names = header.fields.map((f) => f.trim());
  let index = names.indexOf(column.trim());
  if (index === -1) index = names.findIndex((n) => n.toLowerCase() === column.trim().toLowerCase());
  if (index === -1) throw new CsvError(`no column "${column}" in the header row; columns: ${names.map((n) => JSON.stringify(n)).join(', ')}`);
  return records.map((r) => ({ line: r.line, value: (r.fields[index] ?? '').trim() }));
}

interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

function parseRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let startLine = 1;
  let quoted = false;
  let wasQuoted = false;
  const endRecord = () => {
    fields.push(field);
    // A blank line (one empty unquoted field) is no record.
    if (!(fields.length === 1 && fields[0] === '' && !wasQuoted)) records.push({ line: startLine, fields });
    fields = [];
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new CsvError(`line ${startLine}: a quoted field is not closed`);
  if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
  return records;
}
