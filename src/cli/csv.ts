/**
 * The summary and metrics CSV files, written by d3-dsv (which quotes any field that needs it, so
 * every id round-trips). Three forms: `raw` (comma, full precision, code names: for programs),
 * `en` and `da` (headers and names in the language, as the report and charts give them; numbers
 * rounded to what a reader uses, shares in percent; `da` with semicolons, decimal commas and a
 * byte-order mark, as Danish Excel opens a file). The words are in `charts/locale.ts`.
 */
import { dsvFormat } from 'd3-dsv';
import { summarize, summarizeMetrics } from '../results/summary';
import type { RunResult } from '../results/streaming';
import { TOTAL } from '../results/values';
import {
  csvFigureName,
  csvHeader,
  csvMetricName,
  displayUnit,
  serviceName,
  strategyName,
  type CsvColumn,
} from '../charts/locale';

/** The CSV forms `--csv-locale` accepts. */
export const CSV_LOCALES = ['raw', 'en', 'da'] as const;
export type CsvLocale = (typeof CSV_LOCALES)[number];

/** A cell of a CSV file: text as it is, a number written for the locale. */
export type Cell = string | number;

/** Rows as CSV in a locale's form: delimiter, decimal comma and byte-order mark for `da`. */
export function format(locale: CsvLocale, header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const delimiter = locale === 'da' ? ';' : ',';
  const text = dsvFormat(delimiter).formatRows([
    header.slice(),
    ...rows.map((r) => r.map((c) => (typeof c === 'number' ? numberText(c, locale) : c))),
  ]);
  return `${locale === 'da' ? '\ufeff' : ''}${text}\n`;
}

function numberText(x: number, locale: CsvLocale): string {
  return locale === 'da' ? String(x).replace('.', ',') : String(x);
}

/**
 * A number rounded to `digits` decimals for a reader: a number (so a value that rounds to zero,
 * -0.04 to one decimal, prints as 0, never -0), or an empty cell for a number that is missing or
 * not finite (none is expected).
 */
function rounded(x: number | undefined, digits: number): Cell {
  if (x === undefined || !Number.isFinite(x)) return '';
  const r = Number(x.toFixed(digits));
  return r === 0 ? 0 : r;
}

/** A share (0.375) in percent, to 0.1 point (37.5). */
function percent(x: number | undefined): Cell {
  return rounded(x === undefined ? x : x * 100, 1);
}

/** The readable summary's columns, in order. */
const SUMMARY_COLUMNS = [
  'strategy',
  'service',
  'year',
  'figure',
  'paths',
  'mean',
  'sd',
  'mcse',
  'p5',
  'p50',
  'p95',
  'pOverspend',
  'pOverspend1',
  'pOverspend5',
  'shortfall',
] as const satisfies readonly CsvColumn[];

/** The readable metrics file's columns, in order. */
const METRICS_COLUMNS = [
  'strategy',
  'service',
  'year',
  'metric',
  'paths',
  'mean',
  'sd',
  'mcse',
  'min',
  'max',
  'p5',
  'p50',
  'p95',
  'pAboveZero',
] as const satisfies readonly CsvColumn[];

/** A readable file: its columns' headers in the locale, then each row's cells in the columns' order. */
function readable<C extends CsvColumn>(
  locale: 'en' | 'da',
  columns: readonly C[],
  rows: readonly Readonly<Record<C, Cell>>[],
): string {
  return format(
    locale,
    columns.map((c) => csvHeader(c, locale)),
    rows.map((r) => columns.map((c) => r[c])),
  );
}

/** Strategies and services by name in the locale, as the report and the charts name them. */
function names(result: RunResult, locale: 'en' | 'da') {
  return {
    strategy: (id: string) => strategyName(result.strategies.find((s) => s.id === id) ?? { id, label: id }, locale),
    service: (id: string) => serviceName(id, result.services, locale),
  };
}

/** The columns of the raw summary, which are also the keys of {@link summaryJson}'s rows. */
const RAW_SUMMARY_COLUMNS = [
  'strategy',
  'service',
  'year',
  'figure',
  'n',
  'mean',
  'sd',
  'mcse',
  'p5',
  'p50',
  'p95',
  'p_over_0',
  'p_over_1pct',
  'p_over_5pct',
  'expected_shortfall_95',
] as const;

type SummaryRecord = Record<(typeof RAW_SUMMARY_COLUMNS)[number], string | number | null>;

/**
 * The summary's rows at full precision with code names. The 1 % and 5 % thresholds mean
 * something only for deviations given as a share, so kr rows have null there; a statistic that
 * is not a finite number (none is expected) is null too, as JSON has no NaN.
 */
/** The rows the summary outputs hold: one service's, P5, P50 and P95, exceedance of 0, 1 % and 5 %. */
function summaryOf(result: RunResult, service: string): ReturnType<typeof summarize> {
  return summarize(result, { percentiles: [5, 50, 95], thresholds: [0, 0.01, 0.05], services: [service] });
}

function summaryRecords(result: RunResult, service: string): SummaryRecord[] {
  const rows = summaryOf(result, service);
  const n = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
  return rows.map((r) => {
    const share = r.figure.endsWith('Pct');
    return {
      strategy: r.strategy,
      service: r.service,
      year: r.year,
      figure: r.figure,
      n: r.n,
      mean: n(r.mean),
      sd: n(r.sd),
      mcse: n(r.mcse),
      p5: n(r.percentiles[5]),
      p50: n(r.percentiles[50]),
      p95: n(r.percentiles[95]),
      p_over_0: n(r.exceed[0]),
      p_over_1pct: share ? n(r.exceed[0.01]) : null,
      p_over_5pct: share ? n(r.exceed[0.05]) : null,
      expected_shortfall_95: n(r.expectedShortfall),
    };
  });
}

/**
 * The summary as JSON for programs (`jq`, DuckDB's `read_json`): a list of rows, one a line,
 * with the raw CSV's columns as keys and numbers at full precision.
 */
export function summaryJson(result: RunResult, service = TOTAL): string {
  const records = summaryRecords(result, service);
  return records.length === 0 ? '[]\n' : `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
}

/**
 * The summary per strategy, year and figure of one service (`total`, the default, for all
 * services; or a service id, or a group of units): mean, sd, Monte Carlo error, percentiles, the
 * probability of overspending and the expected shortfall.
 */
export function summaryCsv(result: RunResult, locale: CsvLocale, service = TOTAL): string {
  if (locale === 'raw') {
    const records = summaryRecords(result, service);
    return format(
      locale,
      RAW_SUMMARY_COLUMNS,
      records.map((r) => RAW_SUMMARY_COLUMNS.map((c) => r[c] ?? '')),
    );
  }
  const rows = summaryOf(result, service);
  const name = names(result, locale);
  return readable(
    locale,
    SUMMARY_COLUMNS,
    rows.map((r) => {
      const v = (x: number | undefined) => (displayUnit(r.figure, locale).share ? percent(x) : rounded(x, 0));
      // The 1 % and 5 % thresholds are shares of the budget: they mean something for the % rows only.
      const pct = r.figure.endsWith('Pct');
      return {
        strategy: name.strategy(r.strategy),
        service: name.service(r.service),
        year: r.year,
        figure: csvFigureName(r.figure, locale),
        paths: r.n,
        mean: v(r.mean),
        sd: v(r.sd),
        mcse: v(r.mcse),
        p5: v(r.percentiles[5]),
        p50: v(r.percentiles[50]),
        p95: v(r.percentiles[95]),
        pOverspend: percent(r.exceed[0]),
        pOverspend1: pct ? percent(r.exceed[0.01]) : '',
        pOverspend5: pct ? percent(r.exceed[0.05]) : '',
        shortfall: v(r.expectedShortfall),
      };
    }),
  );
}

/** The services' own metrics (waiting list, guarantee breaches, ...) per strategy and year. */
export function metricsCsv(result: RunResult, locale: CsvLocale): string {
  const rows = summarizeMetrics(result, { percentiles: [5, 50, 95], thresholds: [0] });
  const service = (metric: string) => metric.slice(0, metric.indexOf('.'));
  const metricId = (metric: string) => metric.slice(metric.indexOf('.') + 1);
  if (locale === 'raw') {
    const head = [
      'strategy',
      'service',
      'year',
      'metric',
      'n',
      'mean',
      'sd',
      'mcse',
      'min',
      'max',
      'p5',
      'p50',
      'p95',
      'p_over_0',
    ];
    return format(
      locale,
      head,
      rows.map((r) => [
        r.strategy,
        service(r.metric),
        r.year,
        metricId(r.metric),
        r.n,
        r.mean,
        r.sd,
        r.mcse,
        r.min,
        r.max,
        r.percentiles[5]!,
        r.percentiles[50]!,
        r.percentiles[95]!,
        r.exceed[0]!,
      ]),
    );
  }
  const name = names(result, locale);
  return readable(
    locale,
    METRICS_COLUMNS,
    rows.map((r) => {
      const metric = csvMetricName(metricId(r.metric), locale);
      const v = (x: number | undefined) => (metric.share ? percent(x) : rounded(x, 2));
      return {
        strategy: name.strategy(r.strategy),
        service: name.service(service(r.metric)),
        year: r.year,
        metric: metric.name,
        paths: r.n,
        mean: v(r.mean),
        sd: v(r.sd),
        mcse: v(r.mcse),
        min: v(r.min),
        max: v(r.max),
        p5: v(r.percentiles[5]),
        p50: v(r.percentiles[50]),
        p95: v(r.percentiles[95]),
        pAboveZero: percent(r.exceed[0]),
      };
    }),
  );
}
