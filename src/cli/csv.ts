/**
 * The summary and metrics CSV files, written by d3-dsv (which quotes any field that needs it, so
 * every id round-trips). Three forms: `raw` (comma, full precision, code names: for programs),
 * `en` and `da` (readable headers, numbers rounded to what a reader uses; `da` with semicolons,
 * decimal commas and a byte-order mark, as Danish Excel opens a file).
 */
import { dsvFormat } from 'd3-dsv';
import { summarize, summarizeMetrics } from '../results/summary';
import type { RunResult } from '../results/streaming';

/** The CSV forms `--csv-locale` accepts. */
export const CSV_LOCALES = ['raw', 'en', 'da'] as const;
export type CsvLocale = (typeof CSV_LOCALES)[number];

const FIGURE_LABELS: Readonly<Record<string, string>> = {
  treasuryDeviationKr: 'Treasury deviation (kr)',
  treasuryDeviationPct: 'Treasury deviation (%)',
  treasuryShareKr: "Treasury's share (kr)",
  treasurySharePct: "Treasury's share (%)",
  providerDeviationKr: 'Provider deviation (kr)',
  providerDeviationPct: 'Provider deviation (%)',
};

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

/** A number rounded to `digits` decimals, as a number (so -0 prints as 0). */
function round(x: number, digits: number): number {
  const r = Number(x.toFixed(digits));
  return r === 0 ? 0 : r;
}

/** Rounded as a reader uses it: kr to whole kroner, shares as percent to 0.1 point. */
function figureRound(figure: string, x: number): number {
  return figure.endsWith('Pct') ? round(x * 100, 1) : round(x, 0);
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
function summaryRecords(result: RunResult): SummaryRecord[] {
  const rows = summarize(result, { percentiles: [5, 50, 95], thresholds: [0, 0.01, 0.05] });
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
export function summaryJson(result: RunResult): string {
  const records = summaryRecords(result);
  return records.length === 0 ? '[]\n' : `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
}

/**
 * The summary per strategy, service (total), year and figure: mean, sd, Monte Carlo error,
 * percentiles, the probability of overspending and the expected shortfall.
 */
export function summaryCsv(result: RunResult, locale: CsvLocale): string {
  if (locale === 'raw') {
    const records = summaryRecords(result);
    return format(
      locale,
      RAW_SUMMARY_COLUMNS,
      records.map((r) => RAW_SUMMARY_COLUMNS.map((c) => r[c] ?? '')),
    );
  }
  const rows = summarize(result, { percentiles: [5, 50, 95], thresholds: [0, 0.01, 0.05] });
  const head = [
    'Strategy',
    'Service',
    'Year',
    'Figure',
    'Paths',
    'Mean',
    'SD',
    'MCSE',
    'P5',
    'P50',
    'P95',
    'P(overspend > 0)',
    'P(overspend > 1 %)',
    'P(overspend > 5 %)',
    'Expected shortfall (worst 5 %)',
  ];
  return format(
    locale,
    head,
    rows.map((r) => {
      const v = (x: number) => figureRound(r.figure, x);
      const p = (x: number) => round(x, 3);
      const share = r.figure.endsWith('Pct');
      return [
        r.strategy,
        r.service,
        r.year,
        FIGURE_LABELS[r.figure] ?? r.figure,
        r.n,
        v(r.mean),
        v(r.sd),
        v(r.mcse),
        v(r.percentiles[5]!),
        v(r.percentiles[50]!),
        v(r.percentiles[95]!),
        p(r.exceed[0]!),
        share ? p(r.exceed[0.01]!) : '',
        share ? p(r.exceed[0.05]!) : '',
        v(r.expectedShortfall),
      ];
    }),
  );
}

/** The services' own metrics (waiting list, guarantee breaches, ...) per strategy and year. */
export function metricsCsv(result: RunResult, locale: CsvLocale): string {
  const rows = summarizeMetrics(result, { percentiles: [5, 50, 95], thresholds: [0] });
  const service = (metric: string) => metric.slice(0, metric.indexOf('.'));
  const name = (metric: string) => metric.slice(metric.indexOf('.') + 1);
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
        name(r.metric),
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
  const head = [
    'Strategy',
    'Service',
    'Year',
    'Metric',
    'Paths',
    'Mean',
    'SD',
    'MCSE',
    'Min',
    'Max',
    'P5',
    'P50',
    'P95',
    'P(> 0)',
  ];
  const v = (x: number) => round(x, 2);
  return format(
    locale,
    head,
    rows.map((r) => [
      r.strategy,
      service(r.metric),
      r.year,
      name(r.metric),
      r.n,
      v(r.mean),
      v(r.sd),
      v(r.mcse),
      v(r.min),
      v(r.max),
      v(r.percentiles[5]!),
      v(r.percentiles[50]!),
      v(r.percentiles[95]!),
      round(r.exceed[0]!, 3),
    ]),
  );
}
