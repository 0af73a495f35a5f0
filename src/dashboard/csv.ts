/**
 * Where a spreadsheet may start a new cell: the start of the cell, and after any character
 * some locale uses as the separator (`,`, `;` in much of Europe, tab) or a line break, for a
 * reader that splits the text before honouring the quotes. A formula (OWASP: CSV injection)
 * starts with one of `= + - @`, a tab or a carriage return.
 */
const FORMULA_AFTER_SEPARATOR = /(^|[,;\t\r\n])(?=[=+\-@\t\r])/g;

/**
 * One CSV cell (RFC 4180). Every text cell is quoted, so no separator inside it ever splits
 * it, and a formula start anywhere a cell could begin gets a `'` so it stays text.
 */
export function csvCell(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = value instanceof Date ? value.toISOString() : value;
  if (text === '') return '';
  return `"${text.replace(FORMULA_AFTER_SEPARATOR, "$1'").replace(/"/g, '""')}"`;
}

/** A whole CSV document with CRLF line ends, header first. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | Date | null | undefined)[])[],
): string {
  return [header, ...rows]
    .map((row) => row.map(csvCell).join(','))
    .join('\r\n')
    .concat('\r\n');
}
