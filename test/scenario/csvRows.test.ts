import { describe, expect, it } from 'vitest';
import { csvRows, delimiterOf, rowWidthProblem } from '../../src/scenario/csvRows';

describe('csvRows', () => {
  it('numbers each row by the line it starts on: blank lines, CR LF and quoted line breaks counted', () => {
    const rows = csvRows('a,b\r\n\r\n1,2\n"x\r\ny\nz",3\n\n  ,\n4,5\n', ',');
    expect(rows).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['1', '2'], line: 3 },
      { cells: ['x\r\ny\nz', '3'], line: 4 },
      { cells: ['4', '5'], line: 9 },
    ]);
    expect(csvRows('', ',')).toEqual([]);
    expect(csvRows('\n\n', ';')).toEqual([]);
  });

  it('takes the delimiter from the first line: semicolon, then tab, then comma', () => {
    expect(delimiterOf('a;b,c')).toBe(';');
    expect(delimiterOf('a\tb,c')).toBe('\t');
    expect(delimiterOf('a,b')).toBe(',');
    expect(delimiterOf('kr')).toBe(',');
  });
});

describe('rowWidthProblem', () => {
  const check = (text: string, delimiter = ',') => {
    const rows = csvRows(text, delimiter);
    return rowWidthProblem(rows[0]!, rows.slice(1), delimiter);
  };

  it('accepts rows as wide as the header', () => {
    expect(check('case,kr\n1,2\n3,""\n')).toBeUndefined();
    expect(check('kr\n1\n2\n')).toBeUndefined();
  });

  it('names the first row of another width, its cells and the header, with a hint for a decimal comma', () => {
    expect(check('case,kr\n0,100000,50\n1,2\n')).toEqual({
      line: 2,
      cells: ['0', '100000', '50'],
      expected: 2,
      decimalComma: true,
      message:
        'line 2 has 3 cells ("0", "100000", "50") but the header has 2 ("case", "kr"); if the numbers use a decimal comma, save the file with \';\' as the separator',
    });
    expect(check('kr\n100\n864.827,42\n')?.message).toBe(
      'line 3 has 2 cells ("864.827", "42") but the header has 1 ("kr"); if the numbers use a decimal comma, save the file with \';\' as the separator',
    );
    expect(check('service,year,cost\nHome care,2010,54952270,34\n')?.decimalComma).toBe(true);
    // Fewer cells, or trailing empty ones, in a row or the header: no problem (the missing cells read as empty).
    expect(check('case,kr\n1\n')).toBeUndefined();
    expect(check('case,kr\n1,100,\n2,200,,\n')).toBeUndefined();
    expect(check('case,kr,\n1,100\n')).toBeUndefined();
    // A cell beyond the header that is not empty is refused; the message counts to the last that is not.
    expect(check('case,kr\nA,100,note,\n')?.message).toBe(
      'line 2 has 3 cells ("A", "100", "note") but the header has 2 ("case", "kr"); expected at most 2 cells in a row',
    );
    // Text, or a semicolon file: no decimal comma suspected.
    expect(check('name,kr\nSmith,Anne,100\n')?.decimalComma).toBe(false);
    expect(check('case;kr\n1;100;50\n', ';')?.decimalComma).toBe(false);
  });

  it('names the first row when there is no header, and shortens long rows', () => {
    const rows = csvRows('a\nb,c\n', ',');
    expect(rowWidthProblem(rows[0]!, rows, ',', false)?.message).toBe(
      'line 2 has 2 cells ("b", "c") but line 1 has 1 ("a"); expected at most 1 cell in a row',
    );
    // Exact: every row the head's number of cells, empty ones counted (a table whose every cell is read).
    const exact = csvRows('a;b\n1\n2;3;\n', ';');
    expect(rowWidthProblem(exact[0]!, exact.slice(1), ';', true, true)?.message).toBe(
      'line 2 has 1 cell ("1") but the header has 2 ("a", "b"); expected 2 cells in every row',
    );
    const wide = check(`a\n${'x'.repeat(40)},${Array.from({ length: 999 }, (_, i) => `c${i}`).join(',')}\n`)!;
    expect(wide.message).toBe(
      `line 2 has 1000 cells ("${'x'.repeat(23)}…", "c0", "c1", "c2", "c3", "c4", ... (1000 in all)) but the header has 1 ("a"); expected at most 1 cell in a row`,
    );
  });
});
