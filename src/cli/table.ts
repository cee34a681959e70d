/** Longest cell shown, characters; longer ones end in "…". */
export const MAX_CELL = 80;

/**
 * A plain-text table: a header row, a rule, then the rows, columns padded to
 * their widest cell. Control characters in cells (names come from Genesys)
 * are replaced so they cannot move the cursor or recolour the terminal.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers, ...rows].map((r) => r.map(cleanCell));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n') + '\n';
}

function cleanCell(s: string): string {
  const clean = printable(s);
  return clean.length > MAX_CELL ? `${clean.slice(0, MAX_CELL - 1)}…` : clean;
}

/** Text with control characters replaced by "?", so it cannot move the cursor or recolour the terminal. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
