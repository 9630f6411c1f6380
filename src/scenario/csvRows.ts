/**
 * Rows of a CSV file as the readers take them (the accounts, Statistics Denmark's CSV export,
 * `carebudget fit-dist`): each row with the line it starts on, and the check that every row has
 * as many cells as the header. A number with a decimal comma in a comma-separated file
 * (`864.827,42`) splits into two cells; the check refuses the row instead of reading one part.
 * Browser-safe: no Node built-ins.
 */
import { dsvFormat } from 'd3-dsv';

/** A row of a CSV file that is not blank. */
export interface CsvRow {
  /** The cells as written, quotes removed. */
  readonly cells: readonly string[];
  /** The line of the text the row starts on, from 1 (blank lines and lines within quoted cells counted). */
  readonly line: number;
}

/** The delimiter a file's first line implies: a semicolon if it has one, else a tab if it has one, else a comma. */
export function delimiterOf(firstLine: string): ';' | '\t' | ',' {
  return firstLine.includes(';') ? ';' : firstLine.includes('\t') ? '\t' : ',';
}

/** Line breaks within a quoted cell: CR LF, CR and LF count once each, as the parser reads them. */
function breaks(cell: string): number {
  if (!cell.includes('\n') && !cell.includes('\r')) return 0;
  return cell.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/**
 * The rows of a delimited text that have a cell other than blanks, each with the line it starts
 * on. The text is read as it is: a byte-order mark is the caller's to drop.
 *
 * @param text - the file's text
 * @param delimiter - the character between cells
 * @returns the rows that are not blank, in order
 */
export function csvRows(text: string, delimiter: string): CsvRow[] {
  const out: CsvRow[] = [];
  let line = 1;
  for (const cells of dsvFormat(delimiter).parseRows(text)) {
    if (cells.some((c) => c.trim() !== '')) out.push({ cells, line });
    line += 1;
    for (const c of cells) line += breaks(c);
  }
  return out;
}

/** A row with more cells than the header (or the first row, in a file without one). */
export interface RowWidthProblem {
  /** The row's line. */
  readonly line: number;
  /** The row's cells. */
  readonly cells: readonly string[];
  /** The number of cells expected: the header's (or the first row's). */
  readonly expected: number;
  /** The row looks like numbers with a decimal comma split on the comma. */
  readonly decimalComma: boolean;
  /** The problem for people, without the file's name: `line 3 has 3 cells ("0", "100000", "50") but the header has 2 ("case", "kr")...`. */
  readonly message: string;
}

/** The cells listed for a message: each up to 24 characters, the first 6 of them. */
function cellList(cells: readonly string[]): string {
  const shown = cells.slice(0, 6).map((c) => {
    const t = c.trim();
    return `"${t.length > 24 ? `${t.slice(0, 23)}…` : t}"`;
  });
  return `${shown.join(', ')}${cells.length > 6 ? `, ... (${cells.length} in all)` : ''}`;
}

const plural = (n: number) => `${n} ${n === 1 ? 'cell' : 'cells'}`;

/**
 * A row split on a decimal comma: a comma-separated file, more cells than expected, and a cell
 * ending in a digit followed by one of digits only (`864.827` and `42` of `864.827,42`).
 */
function splitDecimal(cells: readonly string[], expected: number, delimiter: string): boolean {
  if (delimiter !== ',' || cells.length <= expected) return false;
  for (let i = 0; i + 1 < cells.length; i++)
    if (/^\s*[-+−]?[\d.]*\d$/.test(cells[i]!) && /^\d+\s*$/.test(cells[i + 1]!)) return true;
  return false;
}

/** A row's cells up to its last that is not empty: trailing empty cells (`100;`) count for nothing. */
function widthOf(cells: readonly string[]): number {
  let n = cells.length;
  while (n > 0 && cells[n - 1]!.trim() === '') n--;
  return n;
}

/**
 * The first row with more cells than the head, described for people: its line, its cells and
 * the head's, and, when the row looks like numbers with a decimal comma in a comma-separated
 * file, what to do about it. Trailing empty cells are not counted, in the head or a row, and a
 * row with fewer cells than the head is not refused here (its missing cells read as empty, and
 * the reader says so if it needs one).
 *
 * @param head - the header row, or the first row of a file without one
 * @param rows - the rows to check (the head itself may be among them)
 * @param delimiter - the file's delimiter
 * @param headIsHeader - whether the head is a header (named so in the message) or the first row of values
 * @param exact - every row must have the head's number of cells, empty ones counted (a table
 *   export whose every cell is read)
 * @returns the first row of another width, or undefined when every row has the head's
 */
export function rowWidthProblem(
  head: CsvRow,
  rows: readonly CsvRow[],
  delimiter: string,
  headIsHeader = true,
  exact = false,
): RowWidthProblem | undefined {
  const width = exact ? (cells: readonly string[]) => cells.length : widthOf;
  const expected = width(head.cells);
  const row = rows.find((r) => (exact ? width(r.cells) !== expected : width(r.cells) > expected));
  if (row === undefined) return undefined;
  const cells = row.cells.slice(0, width(row.cells));
  const decimalComma = splitDecimal(cells, expected, delimiter);
  const against = headIsHeader ? 'the header has' : `line ${head.line} has`;
  const hint = decimalComma
    ? "; if the numbers use a decimal comma, save the file with ';' as the separator"
    : `; expected ${exact ? plural(expected) : `at most ${plural(expected)}`} in ${exact ? 'every row' : 'a row'}`;
  return {
    line: row.line,
    cells,
    expected,
    decimalComma,
    message: `line ${row.line} has ${plural(cells.length)} (${cellList(cells)}) but ${against} ${expected} (${cellList(head.cells.slice(0, expected))})${hint}`,
  };
}
