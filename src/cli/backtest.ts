/**
 * `carebudget backtest`: home care's projection scored on a municipality's own history. Reads
 * Statistics Denmark's tables as `carebudget fit` does, backtests from each origin, prints the
 * scores by years ahead and writes the result, its rows as CSV and an HTML report into a
 * directory, all or nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError } from '../errors';
import { backtest } from '../fit/backtest';
import type { BacktestResult } from '../fit/backtestTypes';
import { FitError } from '../fit/homeCare';
import { ScenarioError } from '../scenario/parse';
import type { ScenarioInput } from '../scenario/schema';
import type { HomeCareHistory } from '../scenario/series';
import { historyFromStatbank, PopulationImportError } from '../scenario/statbank';
import { accountsFromCsv, AccountsImportError, type AccountsSeries } from '../scenario/accounts';
import { renderBacktestReport } from '../html/backtest';
import { VERSION } from '../version';
import {
  choiceOption,
  countOption,
  isRecord,
  onePositional,
  progressBar,
  readScenario,
  REPORT_LOCALES,
  seedOption,
  type CliOutput,
  type Values,
} from './common';
import { CSV_LOCALES, format, type Cell, type CsvLocale } from './csv';
import { CliError, invalidInput } from './errors';
import { fixedOption, withFile } from './fit';
import { readText } from './input';
import { checkWritable, prepareOutDir, writeAll, type PlannedFile } from './outputs';
import { MAX_STATBANK_BYTES } from './population';

export { BACKTEST_OPTIONS } from './options';

type TableName = 'population' | 'recipients' | 'hours';

/** The most origins: each is a fit and two projections. */
const MAX_ORIGINS = 100;

function required(values: Values, name: string, example: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new CliError(`backtest needs --${name} ${example}`);
  return v;
}

/**
 * `--origins`: a range `2016..2021` or a list `2016,2018,2020` of four-digit years, as the years.
 *
 * @param text - the option's value
 * @returns the years, in the order given (a range ascending)
 * @example
 * ```ts
 * originsOption('2016..2018'); //=> [2016, 2017, 2018]
 * ```
 * @category Command line
 */
export function originsOption(text: string | boolean | undefined): number[] {
  if (typeof text !== 'string' || text.trim() === '')
    throw new CliError('backtest needs --origins, the origin years: a range such as 2016..2021 or a list 2016,2018');
  const t = text.trim();
  const range = /^(\d{4})\s*\.\.\s*(\d{4})$/.exec(t);
  let years: number[];
  if (range !== null) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (from > to) throw new CliError(`--origins ${t}: the range runs backwards; expected FROM..TO with FROM <= TO`);
    years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  } else {
    const items = t.split(',').map((s) => s.trim());
    if (!items.every((s) => /^\d{4}$/.test(s)))
      throw new CliError(
        `--origins must be a range such as 2016..2021 or four-digit years separated by commas; received "${text}"`,
      );
    years = items.map(Number);
    const twice = years.find((y, i) => years.indexOf(y) !== i);
    if (twice !== undefined) throw new CliError(`--origins names ${twice} twice; name each origin once`);
  }
  if (years.length > MAX_ORIGINS)
    throw new CliError(`--origins names ${years.length} years; expected at most ${MAX_ORIGINS}`);
  return years;
}

/** A value for the table: whole numbers from 100, one decimal below. */
function value(x: number): string {
  return Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1);
}

/** A share in whole per cent. */
function percent(x: number): string {
  return `${Math.round(100 * x)} %`;
}

/**
 * The scores by years ahead as a table of fixed-width columns: quantity, years ahead, outcomes,
 * the 50 % and 90 % bands' coverage, the CRPS and the straight line's error.
 *
 * @param result - from `backtest`
 * @returns the table's lines, ending with a newline
 * @example
 * ```ts
 * io.out(backtestTable(backtest(undefined, history, { origins: [2016, 2017], horizon: 2 })));
 * ```
 * @category Command line
 */
export function backtestTable(result: BacktestResult): string {
  const header = ['quantity', 'years ahead', 'n', 'in 50 % band', 'in 90 % band', 'CRPS', 'straight line error'];
  const names = { recipients: 'recipients', hours: 'hours a week', costKr: 'cost (kr)' } as const;
  const rows = result.summary.map((s) => [
    names[s.quantity],
    String(s.horizon),
    String(s.n),
    percent(s.coverage50),
    percent(s.coverage90),
    value(s.crps),
    value(s.trendError),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/**
 * One row per origin, projected year and quantity. `raw`: code names and full precision; `en`
 * and `da`: headers in the language, values rounded to 0.1, the PIT to 0.001, `da` with
 * semicolons, decimal commas and a byte-order mark.
 *
 * @param result - from `backtest`
 * @param locale - the CSV form
 * @returns the CSV text
 * @example
 * ```ts
 * const csv = rowsCsv(backtest(undefined, history, { origins: [2016, 2017], horizon: 2 }), 'da');
 * // csv starts with the byte-order mark and the header "Udgangsår;…"
 * ```
 * @category Command line
 */
export function rowsCsv(result: BacktestResult, locale: CsvLocale): string {
  if (locale === 'raw')
    return format(
      locale,
      [
        'origin',
        'year',
        'horizon',
        'quantity',
        'realised',
        'mean',
        'p5',
        'p25',
        'p50',
        'p75',
        'p95',
        'pit',
        'in50',
        'in90',
        'crps',
        'trend',
        'trend_error',
      ],
      result.rows.map((r) => [
        r.origin,
        r.year,
        r.horizon,
        r.quantity,
        r.realised,
        r.mean,
        r.p5,
        r.p25,
        r.p50,
        r.p75,
        r.p95,
        r.pit,
        String(r.in50),
        String(r.in90),
        r.crps,
        r.trend,
        r.trendError,
      ]),
    );
  const da = locale === 'da';
  const round = (x: number, digits = 1): Cell => {
    const r = Number(x.toFixed(digits));
    return r === 0 ? 0 : r;
  };
  const yes = (b: boolean) => (b ? (da ? 'ja' : 'yes') : da ? 'nej' : 'no');
  const quantity = da
    ? { recipients: 'Modtagere', hours: 'Visiterede timer om ugen', costKr: 'Udgift (kr.)' }
    : { recipients: 'Recipients', hours: 'Visited hours a week', costKr: 'Cost (kr)' };
  const head = da
    ? [
        'Udgangsår',
        'År',
        'År frem',
        'Størrelse',
        'Udfald',
        'Middelværdi',
        'P5',
        'P25',
        'Median',
        'P75',
        'P95',
        'PIT',
        'I 50 %-båndet',
        'I 90 %-båndet',
        'CRPS',
        'Ret linje',
        'Den rette linjes fejl',
      ]
    : [
        'Origin',
        'Year',
        'Years ahead',
        'Quantity',
        'What happened',
        'Mean',
        'P5',
        'P25',
        'Median',
        'P75',
        'P95',
        'PIT',
        'In the 50 % band',
        'In the 90 % band',
        'CRPS',
        'Straight line',
        "Straight line's error",
      ];
  return format(
    locale,
    head,
    result.rows.map((r) => [
      r.origin,
      r.year,
      r.horizon,
      quantity[r.quantity],
      round(r.realised),
      round(r.mean),
      round(r.p5),
      round(r.p25),
      round(r.p50),
      round(r.p75),
      round(r.p95),
      round(r.pit, 3),
      yes(r.in50),
      yes(r.in90),
      round(r.crps),
      round(r.trend),
      round(r.trendError),
    ]),
  );
}

/**
 * Runs `carebudget backtest`: checks every option and the output directory, reads the tables,
 * backtests with a progress bar per origin on a terminal, prints the scores by years ahead and
 * writes backtest.json, rows.csv and report.html into `--out DIR`, all or nothing.
 *
 * @param values - the parsed options
 * @param positionals - an optional base scenario file
 * @param io - where the table and the progress go
 * @returns 0 when done; a `CliError` is thrown for a usage error (2) or input that cannot be backtested (1)
 * @example
 * ```ts
 * await backtestCommand({ population: 'pop.json', recipients: 'aed06.csv', hours: 'aed022.json', municipality: 'Lejre', groups: '67-79,80+', origins: '2016..2021', out: 'bt' }, [], io);
 * ```
 * @category Command line
 */
export async function backtestCommand(values: Values, positionals: string[], io: CliOutput): Promise<number> {
  const scenarioFile = onePositional('backtest', positionals, 'scenario file (the base each fit merges into)');
  const files: Record<TableName, string> = {
    population: required(values, 'population', 'FILE (citizens by age and year, such as FOLK1AM)'),
    recipients: required(values, 'recipients', 'FILE (recipients of home care, such as AED06)'),
    hours: required(values, 'hours', 'FILE (visited hours a week, such as AED022): the backtest scores hours'),
  };
  const municipality = required(values, 'municipality', 'NAME');
  const groups = required(values, 'groups', 'LIST, for example --groups 67-79,80+');
  const fixed = fixedOption((values as Readonly<Record<string, unknown>>).fixed);
  const origins = originsOption(values.origins);
  const horizon = countOption('horizon', values.horizon, 1, 30) ?? 3;
  const from = countOption('from', values.from, 1000, 9999);
  const paths = countOption('paths', values.paths, 10, 1_000_000);
  const seed = seedOption(values.seed);
  const reportLocale = choiceOption('report-locale', values['report-locale'], REPORT_LOCALES, 'en');
  const csvLocale = choiceOption('csv-locale', values['csv-locale'], CSV_LOCALES, 'raw');
  const outDir = required(values, 'out', 'DIR, the directory backtest.json, rows.csv and report.html are written into');
  const base =
    scenarioFile !== undefined || values.preset !== undefined ? readScenario(scenarioFile, values.preset) : undefined;
  if (base !== undefined && !isRecord(base.input))
    throw invalidInput(
      `${base.source}: expected a scenario (a mapping of its sections); received ${Array.isArray(base.input) ? 'a list' : typeof base.input}`,
    );
  const planned: PlannedFile[] = ['backtest.json', 'rows.csv', 'report.html'].map((n) => ({
    option: 'out',
    file: join(outDir, n),
    label: `--out ${n}`,
  }));

  const texts = Object.fromEntries(Object.entries(files).map(([t, f]) => [t, readText(f, MAX_STATBANK_BYTES)]));
  let history: HomeCareHistory;
  try {
    history = historyFromStatbank(
      { population: texts.population, recipients: texts.recipients, hours: texts.hours },
      { municipality, groups, ...(fixed === undefined ? {} : { fixed }), sources: files },
    );
  } catch (e) {
    if (e instanceof PopulationImportError) throw invalidInput(withFile(e.message, files));
    throw e;
  }
  // The accounts' cost of home care, when given: one service of the file.
  let costs: Record<string, number> | undefined;
  if (typeof values.accounts === 'string') {
    let accounts: AccountsSeries;
    try {
      accounts = accountsFromCsv(readText(values.accounts, MAX_STATBANK_BYTES));
    } catch (e) {
      if (e instanceof AccountsImportError) throw invalidInput(`${values.accounts}: ${e.message}`);
      throw e;
    }
    const services = Object.keys(accounts);
    const service =
      typeof values.service === 'string' ? values.service : services.length === 1 ? services[0]! : undefined;
    if (service === undefined || accounts[service] === undefined)
      throw invalidInput(
        `${values.accounts}: ${service === undefined ? 'the file has several services; pass --service NAME' : `no service "${service}"`}; expected one of ${services.map((x) => `"${x}"`).join(', ')}`,
      );
    costs = { ...accounts[service]! };
  } else if (values.service !== undefined) throw new CliError('--service needs --accounts FILE');
  // An existing directory is checked now; a missing one is made only once the backtest has run,
  // so that an error leaves nothing behind.
  if (existsSync(outDir)) {
    prepareOutDir(outDir);
    checkWritable(planned);
  }

  const bar = progressBar(io, values.quiet === true, origins.length, false);
  let result: BacktestResult;
  try {
    result = backtest(base?.input as ScenarioInput | undefined, history, {
      origins,
      horizon,
      ...(from === undefined ? {} : { from }),
      ...(paths === undefined ? {} : { paths }),
      ...(seed === undefined ? {} : { seed }),
      ...(costs === undefined ? {} : { costs }),
      ...(bar === undefined ? {} : { onProgress: (done: number) => bar.update(done) }),
    });
  } catch (e) {
    if (e instanceof FitError) throw invalidInput(withFile(e.message, files, e.table));
    if (e instanceof OptionError) throw invalidInput(e.message);
    if (e instanceof ScenarioError && base !== undefined) throw invalidInput(`${base.source}: ${e.message}`);
    throw e;
  } finally {
    bar?.stop();
  }

  // Every file's content is made before any is written, so all or nothing holds.
  const json = `${JSON.stringify(
    {
      format: 'carebudget-backtest',
      version: 1,
      carebudget: VERSION,
      tables: files,
      municipality,
      groups,
      ...(fixed === undefined ? {} : { fixed }),
      ...(base === undefined ? {} : { scenario: base.source }),
      ...(from === undefined ? {} : { from }),
      ...result,
    },
    null,
    1,
  )}\n`;
  const csv = rowsCsv(result, csvLocale);
  const html = await renderBacktestReport(result, history, {
    locale: reportLocale,
    ...(costs === undefined ? {} : { costs }),
  });
  prepareOutDir(outDir);
  checkWritable(planned);
  const contents = [json, csv, html];
  writeAll(planned.map((p, i) => ({ ...p, content: () => contents[i]! })));
  io.out(
    `Backtest of ${municipality}, groups ${groups}: ${result.origins.length} origins (${result.origins.join(', ')}), ${result.horizon} ${result.horizon === 1 ? 'year' : 'years'} ahead, ${result.paths.toLocaleString('en-US')} paths, seed ${String(result.seed)}\n\n`,
  );
  io.out(backtestTable(result));
  io.out(`\nWrote ${planned.map((p) => p.file).join(', ')}\n`);
  return 0;
}
