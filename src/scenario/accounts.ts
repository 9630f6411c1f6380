/**
 * A municipality's accounts as a plain CSV of service, year and cost in kroner, in Danish
 * (semicolons, decimal commas, thousands dots, "kr." allowed) or English number format.
 * Browser-safe: no Node built-ins.
 */
import { dsvFormat } from 'd3-dsv';
import { sharedErrorClass } from '../errors';

/**
 * Thrown by {@link accountsFromCsv} for a file it cannot read: a missing column, an unreadable
 * number or year (naming the row and column), a duplicate service and year, or a service or
 * year asked for that the file lacks.
 *
 * @category Scenario
 */
export class AccountsImportError extends Error {
  /** Always `INVALID_ACCOUNTS`. */
  readonly code = 'INVALID_ACCOUNTS' as const;

  /** @param message - what could not be read and where, for people */
  constructor(message: string) {
    super(message);
    this.name = 'AccountsImportError';
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

function fail(message: string): never {
  throw new AccountsImportError(`accountsFromCsv: ${message}`);
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
 *
 * @param text - the CSV text
 * @param options - optionally one service and a range of years
 * @returns costs by service and year, `accounts[service][year]` in kroner, services and years in the file's order
 * @throws {@link AccountsImportError} naming the row and column of an unreadable number or year,
 *   both rows of a duplicate service and year, the columns found when one is missing, and a
 *   service or year asked for that the file lacks
 * @example
 * ```ts
 * const csv = 'Ydelse;År;Udgift\nHjemmehjælp;2022;101.250.000,50 kr.\nHjemmehjælp;2023;104.000.000 kr.';
 * accountsFromCsv(csv); //=> { 'Hjemmehjælp': { '2022': 101250000.5, '2023': 104000000 } }
 * ```
 * @category Scenario
 */
export function accountsFromCsv(text: string, options: AccountsImportOptions = {}): AccountsSeries {
  const body = text.replace(/^\ufeff/, '').trim();
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const danish = firstLine.includes(';');
  const delimiter = danish ? ';' : firstLine.includes('\t') ? '\t' : ',';
  const rows = dsvFormat(delimiter).parseRows(body);
  if (rows.length < 2) fail('expected a header row (service, year, cost) and at least one data row');
  if (rows.length - 1 > MAX_ACCOUNTS_ROWS)
    fail(`expected at most ${MAX_ACCOUNTS_ROWS.toLocaleString('en-US')} data rows; received ${rows.length - 1}`);
  const header = rows[0]!.map((h) => h.trim());
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
  rows.forEach((r, i) => {
    if (i === 0 || !r.some((c) => c.trim() !== '')) return;
    const line = i + 1;
    const cell = (key: keyof typeof col) => {
      const v = r[col[key]];
      if (v === undefined)
        fail(`row ${line}: expected ${header.length} fields; received ${r.length} (no ${header[col[key]]} column)`);
      return v.trim();
    };
    const service = cell('service');
    if (service === '') fail(`row ${line}, column ${header[col.service]}: expected a service; received an empty field`);
    const yearText = cell('year');
    if (!/^\d{4}$/.test(yearText))
      fail(`row ${line}, column ${header[col.year]}: expected a four-digit year; received "${yearText}"`);
    const costText = cell('cost');
    const cost = amount(costText, danish);
    if (cost === undefined)
      fail(
        `row ${line}, column ${header[col.cost]}: expected an amount in kroner such as ${danish ? '"1.234.567,89" or "1.234.567,89 kr."' : '"1234567.89" or "1,234,567.89"'}; received "${costText}"`,
      );
    services.set(service.toLowerCase(), service);
    const key = `${service}\u0000${yearText}`;
    const seen = rowOf.get(key);
    if (seen !== undefined)
      fail(`rows ${seen} and ${line}: "${service}", ${yearText} appears twice; expected one cost per service and year`);
    rowOf.set(key, line);
    if (wanted !== undefined && service.toLowerCase() !== wanted) return;
    if (options.from !== undefined && Number(yearText) < options.from) return;
    if (options.to !== undefined && Number(yearText) > options.to) return;
    (out[service] ??= {})[yearText] = cost;
  });
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
