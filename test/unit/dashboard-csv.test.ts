import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/dashboard/csv.ts';

describe('CSV cells', () => {
  it.each([
    ['plain', '"plain"'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', `"'+1"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tTab', `"'\tTab"`],
    ['', ''],
  ])('%j becomes %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it.each([
    [',', 'Acme,=1+1', `"Acme,'=1+1"`],
    [';', 'Acme;=1+1', `"Acme;'=1+1"`],
    ['tab', 'Acme\t=1+1', `"Acme\t'=1+1"`],
    [';', 'Acme;+cmd|x;-2;@SUM(A1)', `"Acme;'+cmd|x;'-2;'@SUM(A1)"`],
    ['a line break', 'Acme\n=1+1', `"Acme\n'=1+1"`],
  ])('a formula after a %s separator stays text: %j', (_separator, input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it.each([',', ';', '\t'])('no cell splits when a spreadsheet uses %j as the separator', (separator) => {
    const line = toCsv(['name'], [[`Acme${separator}=1+1`]]).split('\r\n')[1] ?? '';
    // Outside quotes, the separator never occurs, and every part a naive split makes starts harmlessly.
    expect(line.replace(/"[^"]*"/g, '')).not.toContain(separator);
    for (const part of line.split(separator)) expect(part).not.toMatch(/^[=+\-@]/);
  });

  it('numbers, dates and empty values', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(new Date('2026-03-01T12:00:00Z'))).toBe('"2026-03-01T12:00:00.000Z"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('a document has a header and CRLF line ends', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('"a","b"\r\n1,"x,y"\r\n');
  });
});
