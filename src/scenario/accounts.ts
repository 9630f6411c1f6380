/**
 * A municipality's accounts as a plain CSV of service, year and cost in kroner, in Danish
 * (semicolons, decimal commas, thousands dots, "kr." allowed) or English number format.
 * Browser-safe: no Node built-ins.
 */
import { sharedErrorClass } from '../errors';
import { csvRows, delimiterOf, rowWidthProblem } from './csvRows';

/** Where in the file an {@link AccountsImportError} is, and what was found there and expected. */
export interface AccountsImportProblem {
  /** The file's line, from 1. */
  readonly line?: number;
  /** The column, by its header. */
  readonly column?: string;
  /** What was found: a cell's text, or a row's cells. */
  readonly received?: unknown;
  /** What was expected, for people: `3 cells (Ydelse, År, Udgift)`, `a four-digit year`. */
  readonly expected?: string;
}

/**
 * Thrown by {@link accountsFromCsv} for a file it cannot read: a row with more cells
 * than the header, a missing column, an unreadable number or year (naming the line and column),
 * a duplicate service and year, or a service or year asked for that the file lacks.
 *
 * @category Scenario
 */
export class AccountsImportError extends Error {
  /** Always `INVALID_ACCOUNTS`. */
  readonly code = 'INVALID_ACCOUNTS' as const;
  /** The line of the row at fault, where there is one. */
  declare readonly line?: number;
  /** The column at fault, by its header, where there is one. */
  declare readonly column?: string;
  /** What was found: the cell's text, or the row's cells for a row of the wrong width. */
  declare readonly received?: unknown;
  /** What was expected, for people. */
  declare readonly expected?: string;

  /**
   * @param message - what could not be read and where, for people
   * @param problem - the line, column, what was found and what was expected, where known
   */
  constructor(message: string, problem: AccountsImportProblem = {}) {
    super(message);
    this.name = 'AccountsImportError';
    if (problem.line !== undefined) this.line = problem.line;
    if (problem.column !== undefined) this.column = problem.column;
    if ('received' in problem) this.received = problem.received;
    if (problem.expected !== undefined) this.expected = problem.expected;
  }
}
sharedErrorClass(AccountsImportError, 'AccountsImportError');

/**
 * Options of {@link accountsFromCsv}.
 *
 * @category Scenario
 */
export interface AccountsImportOptions {
  /** Take only this service (matched in any case); the file must have it. */
  readonly service?: string;
  /** The first year to take; every service taken must have every year from `from` to `to`. */
  readonly from?: number;
  /** The last year to take. */
  readonly to?: number;
}

/**
 * Costs in kroner by service and year: `accounts[service][year]`, for example
 * `{ 'Hjemmehjælp': { '2022': 101250000.5 } }` (the shape of a GroupSeries, by service).
 *
 * @category Scenario
 */
export type AccountsSeries = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** The most data rows read. */
export const MAX_ACCOUNTS_ROWS = 100_000;

const COLUMNS = {
  service: ['service', 'ydelse', 'område', 'omraade', 'funktion', 'tjeneste'],
  year: ['year', 'år', 'aar', 'regnskabsår', 'tid'],
  cost: [
    'cost',
    'costkr',
    'cost_kr',
    'cost (kr)',
    'cost kr',
    'udgift',
    'udgifter',
    'udgift (kr)',
    'beløb',
    'belob',
    'kr',
    'regnskab',
  ],
} as const;

function fail(message: string, problem: AccountsImportProblem = {}): never {
  throw new AccountsImportError(`accountsFromCsv: ${message}`, problem);
}

/** Reads an amount: Danish ("1.234.567,89 kr.") in a semicolon file, English ("1,234,567.89") otherwise. */
function amount(text: string, danish: boolean): number | undefined {
  const t = text
    .replace(/[\u00a0\u202f\s]/g, '')
    .replace(/^(kr\.?|dkk)/i, '')
    .replace(/(kr\.?|dkk)$/i, '')
    .replace(/^[−–]/, '-');
  const [group, decimal] = danish ? ['.', ','] : [',', '.'];
  const g = `\\${group}`;
  const d = `\\${decimal}`;
  const pattern = new RegExp(`^-?(\\d{1,3}(${g}\\d{3})+|\\d+)(${d}\\d+)?$`);
  if (!pattern.test(t)) return undefined;
  const n = Number(t.split(group).join('').replace(decimal, '.'));
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Reads a municipality's accounts: a CSV with a column of services, one of years and one of
 * costs in kroner, one row a service and year. A file whose header has semicolons is read as
 * Danish ("1.234.567,89 kr.": thousands dots, decimal comma, "kr." allowed); one with commas as
 * English ("1,234,567.89", quoted when it has thousands commas). Column names are matched in any
 * case, in Danish or English: service/ydelse/område/funktion, year/år, cost/udgift/beløb/kr.
 * Every row has as many cells as the header: an unquoted "54952270,34" in a comma-separated file
 * is two cells, and is refused rather than read as 54952270.
 *
 * @param text - the CSV text
 * @param options - optionally one service and a range of years
 * @returns costs by service and year, `accounts[service][year]` in kroner, services and years in the file's order
 * @throws {@link AccountsImportError} naming the line and cells of a row with more cells
 *   than the header (a decimal comma in a comma-separated file among them), the line and column
 *   of an unreadable number or year, both lines of a duplicate service and year, the columns found
 *   when one is missing, and a service or year asked for that the file lacks
 * @example
 * ```ts
 * const csv = 'Ydelse;År;Udgift\nHjemmehjælp;2022;101.250.000,50 kr.\nHjemmehjælp;2023;104.000.000 kr.';
 * accountsFromCsv(csv); //=> { 'Hjemmehjælp': { '2022': 101250000.5, '2023': 104000000 } }
 * ```
 * @category Scenario
 */
export function accountsFromCsv(text: string, options: AccountsImportOptions = {}): AccountsSeries {
  const body = text.replace(/^\ufeff/, '');
  // The first line that is not blank, found line by line (a pattern that looks for it can take
  // time in the square of a long blank line).
  const firstLine = body.split(/\r\n?|\n/, 1_000).find((l) => l.trim() !== '') ?? '';
  const delimiter = delimiterOf(firstLine);
  const danish = delimiter === ';';
  const rows = csvRows(body, delimiter);
  if (rows.length < 2) fail('expected a header row (service, year, cost) and at least one data row');
  if (rows.length - 1 > MAX_ACCOUNTS_ROWS)
    fail(`expected at most ${MAX_ACCOUNTS_ROWS.toLocaleString('en-US')} data rows; received ${rows.length - 1}`);
  const header = rows[0]!.cells.map((h) => h.trim());
  // Every row as wide as the header: `Home care,2010,54952270,34` is four cells, not 54952270 kr.
  const ragged = rowWidthProblem(rows[0]!, rows.slice(1), delimiter);
  if (ragged !== undefined)
    fail(ragged.message, {
      line: ragged.line,
      received: ragged.cells,
      expected: `${header.length} cells (${header.join(', ')})`,
    });
  const find = (names: readonly string[]) => header.findIndex((h) => names.includes(h.toLowerCase()));
  const col = { service: find(COLUMNS.service), year: find(COLUMNS.year), cost: find(COLUMNS.cost) };
  for (const key of ['service', 'year', 'cost'] as const)
    if (col[key] < 0)
      fail(
        `missing the ${key} column (expected one named ${COLUMNS[key].slice(0, 4).join(', ')}, ...); the header has ${header.map((h) => `"${h}"`).join(', ')}`,
      );
  const wanted = options.service?.trim().toLowerCase();
  const out: Record<string, Record<string, number>> = {};
  const rowOf = new Map<string, number>();
  const services = new Map<string, string>();
  for (const { cells: r, line } of rows.slice(1)) {
    const cell = (key: keyof typeof col) => r[col[key]]!.trim();
    const at = (key: keyof typeof col) => `line ${line}, column ${header[col[key]]}`;
    const service = cell('service');
    if (service === '')
      fail(`${at('service')}: expected a service; received an empty field`, {
        line,
        column: header[col.service]!,
        received: '',
        expected: 'a service',
      });
    const yearText = cell('year');
    if (!/^\d{4}$/.test(yearText))
      fail(`${at('year')}: expected a four-digit year; received "${yearText}"`, {
        line,
        column: header[col.year]!,
        received: yearText,
        expected: 'a four-digit year',
      });
    const costText = cell('cost');
    const cost = amount(costText, danish);
    if (cost === undefined) {
      const expected = `an amount in kroner such as ${danish ? '"1.234.567,89" or "1.234.567,89 kr."' : '"1234567.89" or "1,234,567.89"'}`;
      fail(`${at('cost')}: expected ${expected}; received "${costText}"`, {
        line,
        column: header[col.cost]!,
        received: costText,
        expected,
      });
    }
    services.set(service.toLowerCase(), service);
    const key = `${service}\u0000${yearText}`;
    const seen = rowOf.get(key);
    if (seen !== undefined)
      fail(
        `lines ${seen} and ${line}: "${service}", ${yearText} appears twice; expected one cost per service and year`,
        {
          line,
          received: [service, yearText],
          expected: 'one cost per service and year',
        },
      );
    rowOf.set(key, line);
    if (wanted !== undefined && service.toLowerCase() !== wanted) continue;
    if (options.from !== undefined && Number(yearText) < options.from) continue;
    if (options.to !== undefined && Number(yearText) > options.to) continue;
    (out[service] ??= {})[yearText] = cost;
  }
  if (wanted !== undefined && !services.has(wanted))
    fail(`service "${options.service}" is not in the file; it has ${[...services.values()].slice(0, 10).join(', ')}`);
  if (options.from !== undefined || options.to !== undefined) {
    for (const [key, service] of services) {
      if (wanted !== undefined && key !== wanted) continue;
      const years = [...rowOf.keys()]
        .filter((k) => k.slice(0, k.indexOf('\u0000')) === service)
        .map((k) => Number(k.slice(k.indexOf('\u0000') + 1)));
      const from = options.from ?? Math.min(...years);
      const to = options.to ?? Math.max(...years);
      if (!(Number.isInteger(from) && Number.isInteger(to) && from <= to && to - from < 1000))
        fail(`from and to: expected whole years with from <= to, at most 1000 apart; received ${from} to ${to}`);
      const missing: number[] = [];
      for (let y = from; y <= to; y++) if (!years.includes(y)) missing.push(y);
      if (missing.length > 0)
        fail(
          `"${service}" has no cost for ${missing.length === 1 ? 'the year' : 'the years'} ${missing.join(', ')} (it has ${years.join(', ')})`,
        );
    }
  }
  return out;
}
